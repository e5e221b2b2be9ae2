// The proof-of-work benchmark page (bundled by bench/pow/index.ts, run in Chromium): the app's
// stamp worker searching for a stamp it will not find, against raw WebCrypto SHA-256 in the page.
import type { StampWorkerMessage } from '../../src/lib/client/stamp-worker';

/** Hashes per second the stamp worker manages, counted between its first and last report. */
function workerRate(milliseconds: number): Promise<number> {
	return new Promise((resolve) => {
		const worker = new Worker('/bench/stamp-worker.js', { type: 'module' });
		let first: { tried: number; at: number } | null = null;
		let last = { tried: 0, at: 0 };
		worker.addEventListener('message', (event: MessageEvent<StampWorkerMessage>) => {
			if (!('tried' in event.data)) return;
			last = { tried: event.data.tried, at: performance.now() };
			first ??= last;
		});
		// 64 zero bits: no stamp is found, so the search runs until it is stopped.
		worker.postMessage({
			bits: 64,
			day: '20261122',
			sender: 'alice@bench.invalid',
			recipient: 'bob@bench.invalid',
			messageHash: '0'.repeat(64)
		});
		setTimeout(() => {
			worker.terminate();
			resolve(first ? (last.tried - first.tried) / ((last.at - first.at) / 1000) : 0);
		}, milliseconds);
	});
}

/** Raw WebCrypto SHA-256 over inputs of a stamp's length, as many in flight as the search keeps. */
async function webCryptoRate(milliseconds: number): Promise<number> {
	const encoder = new TextEncoder();
	const prefix = `1:64:20261122:alice@bench.invalid:bob@bench.invalid:${'0'.repeat(64)}:AAAAAAAA`;
	const started = performance.now();
	let hashed = 0;
	while (performance.now() - started < milliseconds) {
		const batch = Array.from({ length: 512 }, (_, index) =>
			crypto.subtle.digest('SHA-256', encoder.encode(prefix + (hashed + index).toString(36)))
		);
		await Promise.all(batch);
		hashed += batch.length;
	}
	return hashed / ((performance.now() - started) / 1000);
}

(globalThis as unknown as { letterlockPowBench: unknown }).letterlockPowBench = {
	workerRate,
	webCryptoRate
};
