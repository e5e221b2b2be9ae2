// The request waterfall of one page visit, from DevTools-protocol Network events: when each
// request started and finished, what it weighed on the wire and whether it reached the network
// at all. On a high-latency link the time goes to round trips one after another, so the summary
// counts them: each request's depth is one more than that of the deepest request that had ended
// before it began, and a leg's round trips are the depth of its last request to finish.
// A dedicated worker's script is fetched by the worker's own target, which the page's session
// does not see; Playwright does, so those few come from its events (with the build's gzipped size).
import type { CDPSession, Page, Request } from '@playwright/test';
import { gzippedBytes } from './build-output';

export interface Exchange {
	path: string;
	/** Milliseconds since the epoch, as Date.now() counts them. */
	start: number;
	end: number;
	/** Bytes received for it over the network (headers and body, compressed as sent). */
	bytes: number;
	/** Answered by the service worker or the HTTP cache: no round trip. */
	local: boolean;
}

export interface Leg {
	requests: number;
	/** Of those, how many reached the network. */
	overNetwork: number;
	roundTrips: number;
	bytes: number;
}

interface Pending {
	path: string;
	start: number;
	local: boolean;
}

export interface Waterfall {
	/** Everything recorded so far; call once the page has closed. */
	exchanges(): Promise<Exchange[]>;
}

/** Starts recording `page` on `cdp` (before Network is enabled on it). */
export function recordWaterfall(page: Page, cdp: CDPSession): Waterfall {
	const exchanges: Exchange[] = [];
	// Read as they finish: once the page has closed, Playwright can no longer say.
	const finished: Promise<Exchange | null>[] = [];
	page.on('requestfinished', (request) =>
		// One the page closed on before Playwright could say is left out.
		finished.push(fromPlaywright(request).catch(() => null))
	);
	const pending = new Map<string, Pending>();
	// Event timestamps are monotonic seconds; requestWillBeSent also gives the wall clock.
	let offset = 0;
	cdp.on('Network.requestWillBeSent', (event) => {
		offset = event.wallTime * 1000 - event.timestamp * 1000;
		const url = new URL(event.request.url);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
		pending.set(event.requestId, {
			path: url.pathname + url.search,
			start: event.wallTime * 1000,
			local: false
		});
	});
	cdp.on('Network.responseReceived', (event) => {
		const request = pending.get(event.requestId);
		if (!request) return;
		const response = event.response;
		request.local =
			response.fromServiceWorker === true ||
			response.fromDiskCache === true ||
			response.fromPrefetchCache === true ||
			response.status === 0;
	});
	cdp.on('Network.requestServedFromCache', (event) => {
		const request = pending.get(event.requestId);
		if (request) request.local = true;
	});
	const finish = (requestId: string, timestamp: number, bytes: number) => {
		const request = pending.get(requestId);
		if (!request) return;
		pending.delete(requestId);
		exchanges.push({ ...request, end: timestamp * 1000 + offset, bytes });
	};
	cdp.on('Network.loadingFinished', (event) =>
		finish(event.requestId, event.timestamp, event.encodedDataLength)
	);
	cdp.on('Network.loadingFailed', (event) => finish(event.requestId, event.timestamp, 0));
	return {
		async exchanges() {
			const seen = new Set(exchanges.map((exchange) => exchange.path));
			const all = await Promise.all(finished);
			const unseen = all.filter(
				(exchange): exchange is Exchange => exchange !== null && !seen.has(exchange.path)
			);
			return [...exchanges, ...unseen];
		}
	};
}

async function fromPlaywright(request: Request): Promise<Exchange> {
	const path = new URL(request.url()).pathname;
	const timing = request.timing();
	const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
	const fromWorker = response?.fromServiceWorker() ?? false;
	// Playwright reports a negative body size for an answer from the HTTP cache.
	const local = fromWorker || sizes.responseBodySize < 0;
	let bytes = 0;
	if (!local) {
		bytes = sizes.responseHeadersSize;
		try {
			bytes += gzippedBytes(path);
		} catch {
			bytes += Math.max(0, sizes.responseBodySize);
		}
	}
	return {
		path,
		start: timing.startTime,
		end: timing.startTime + timing.responseEnd,
		bytes,
		local
	};
}

/** The requests that started in [from, to): how many, their bytes, and the round trips. */
export function leg(exchanges: Exchange[], from: number, to: number): Leg {
	const inLeg = exchanges
		.filter((exchange) => exchange.start >= from && exchange.start < to)
		.sort((a, b) => a.start - b.start);
	const network = inLeg.filter((exchange) => !exchange.local);
	// Each request's depth: one more than the deepest request that had ended before it began.
	const depths = new Map<Exchange, number>();
	for (const exchange of network) {
		let before = 0;
		for (const [earlier, depth] of depths) {
			if (earlier.end <= exchange.start) before = Math.max(before, depth);
		}
		depths.set(exchange, before + 1);
	}
	// What the leg waited for is the request that finished last; its depth is the round trips.
	const last = network
		.filter((exchange) => exchange.end <= to)
		.reduce<Exchange | undefined>(
			(latest, next) => (latest && latest.end > next.end ? latest : next),
			undefined
		);
	return {
		requests: inLeg.length,
		overNetwork: network.length,
		roundTrips: last ? depths.get(last)! : 0,
		bytes: network.reduce((sum, exchange) => sum + exchange.bytes, 0)
	};
}

/** One line per request, for reading where a visit's time went. */
export function describe(exchanges: Exchange[], since: number): string {
	return [...exchanges]
		.sort((a, b) => a.start - b.start)
		.map((exchange) => {
			const start = String(Math.round(exchange.start - since)).padStart(6);
			const took = String(Math.round(exchange.end - exchange.start)).padStart(5);
			const size = String(exchange.bytes).padStart(7);
			return `${start} ms +${took} ms ${size} B ${exchange.local ? 'local' : 'net  '} ${exchange.path}`;
		})
		.join('\n');
}
