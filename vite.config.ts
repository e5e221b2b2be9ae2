import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { bootChunk } from './scripts/boot-chunk.js';

export default defineConfig({
	plugins: [sveltekit()],
	worker: { format: 'es' },
	environments: {
		// The browser's first load in as few files as its code allows (see scripts/boot-chunk.js).
		client: { build: { rolldownOptions: { output: { codeSplitting: { groups: [bootChunk()] } } } } }
	},
	test: {
		include: [
			'tests/unit/**/*.test.ts',
			'tests/relay/**/*.test.ts',
			'tests/cli/**/*.test.ts',
			'tests/interop/**/*.test.ts',
			'tests/security/**/*.test.ts',
			'tests/storage/**/*.test.ts'
		],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 60_000,
		// The relay tests start real servers on loopback ports; keep parallelism modest on 2 cores.
		maxWorkers: 2
	}
});
