// The proof-of-work search off the page's thread, so typing and scrolling stay smooth. One
// stamp per worker: the page terminates it when the stamp is found or the user cancels.
import type { StampFields } from '../protocol/stamp';
import { mintStamp } from './stamp-mint';

export type StampWorkerMessage = { tried: number } | { stamp: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener('message', (event: MessageEvent<StampFields>) => {
	void mintStamp(event.data, {
		onTried: (tried) => scope.postMessage({ tried } satisfies StampWorkerMessage)
	}).then((stamp) => scope.postMessage({ stamp } satisfies StampWorkerMessage));
});
