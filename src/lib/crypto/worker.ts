/// <reference lib="webworker" />
// The crypto Web Worker: the only place in the browser where OpenPGP runs and where the
// unlocked private key lives. The page talks to it through boundary.ts.
import { serveCrypto } from './boundary';
import { CryptoEngine } from './engine';

serveCrypto(new CryptoEngine(), self as unknown as DedicatedWorkerGlobalScope);
