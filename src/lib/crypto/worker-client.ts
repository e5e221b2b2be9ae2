// The page's side of the crypto worker: a CryptoApi whose every call is a message to
// worker.ts, so OpenPGP and the unlocked key stay off the main thread and out of the page.
import { connectCrypto } from './boundary';
import type { CryptoApi } from './types';

export function startCryptoWorker(
	worker: Worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
): CryptoApi {
	const crashed = new AbortController();
	// A worker that fails to load or crashes would otherwise leave every call hanging.
	worker.addEventListener('error', () =>
		crashed.abort(
			new Error('The encryption engine stopped working. Reload the page to start it again.')
		)
	);
	return connectCrypto(worker, crashed.signal);
}
