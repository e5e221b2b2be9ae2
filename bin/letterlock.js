#!/usr/bin/env node
// The `letterlock` command. It runs the TypeScript sources through tsx so that no build step
// sits between a checkout and a working command line.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
