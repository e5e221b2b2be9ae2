// The page's side of the stamp worker: a Minter that runs each search in its own Web Worker
// and stops it at once when the user cancels (terminate needs no cooperation from the loop).
import type { StampFields } from '../protocol/stamp';
import type { MintOptions } from './stamp-mint';
import type { StampWorkerMessage } from './stamp-worker';

export function mintInWorker(fields: StampFields, options: MintOptions): Promise<string> {
	return new Promise((resolve, reject) => {
		const { signal } = options;
		if (signal?.aborted) {
			reject(signal.reason);
			return;
		}
		const worker = new Worker(new URL('./stamp-worker.ts', import.meta.url), { type: 'module' });
		const stop = () => {
			worker.terminate();
			reject(signal!.reason);
		};
		signal?.addEventListener('abort', stop, { once: true });
		const finish = () => {
			signal?.removeEventListener('abort', stop);
			worker.terminate();
		};
		worker.addEventListener('message', (event: MessageEvent<StampWorkerMessage>) => {
			if ('tried' in event.data) {
				options.onTried?.(event.data.tried);
				return;
			}
			finish();
			resolve(event.data.stamp);
		});
		worker.addEventListener('error', () => {
			finish();
			reject(
				new Error('The proof-of-work search stopped working. Reload the page and send again.')
			);
		});
		worker.postMessage(fields);
	});
}
