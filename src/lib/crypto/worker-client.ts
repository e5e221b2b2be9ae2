// The page's side of the crypto worker: a CryptoApi whose every call is a message to
// worker.ts, so OpenPGP and the unlocked key stay off the main thread and out of the page.
import { connectCrypto } from './boundary';
import type { CryptoApi } from './types';

export function startCryptoWorker(
	worker: Worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
): CryptoApi {
	let crashed: (error: Error) => void = () => {};
	const stopped = new Promise<never>((_, reject) => (crashed = reject));
	// No call may be waiting when the worker stops; that is no failure of its own.
	stopped.catch(() => {});
	// A worker that fails to load or crashes would otherwise leave every call hanging.
	worker.addEventListener('error', () =>
		crashed(new Error('The encryption engine stopped working. Reload the page to start it again.'))
	);
	return connectCrypto(worker, stopped);
}
