// A closed-loop load generator: N clients, each sending its next request as soon as the last
// one is answered, for a fixed time after a short warm-up. Every request is timed.
import { performance } from 'node:perf_hooks';

export interface LoadResult {
	/** Answered requests per second during the measured window. */
	perSecond: number;
	p50: number;
	p99: number;
	/** Requests answered with an unexpected status. */
	failures: number;
	firstFailure: string | null;
}

export interface LoadOptions {
	clients: number;
	seconds: number;
	warmupSeconds: number;
	/** One request by client `index`; resolves to the status it expects and the response. */
	request(index: number): Promise<{ response: Response; expected: number }>;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	const latencies: number[] = [];
	let failures = 0;
	let firstFailure: string | null = null;
	const began = performance.now();
	const measureFrom = began + options.warmupSeconds * 1000;
	const stopAt = measureFrom + options.seconds * 1000;

	const client = async (index: number) => {
		while (performance.now() < stopAt) {
			const sent = performance.now();
			const { response, expected } = await options.request(index);
			// Reading the body is part of the request: a client has not got its answer before.
			const body = await response.text();
			const answered = performance.now();
			if (sent < measureFrom) continue;
			latencies.push(answered - sent);
			if (response.status !== expected) {
				failures++;
				firstFailure ??= `${response.status} ${body.slice(0, 200)}`;
			}
		}
	};
	await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
	const window = (performance.now() - measureFrom) / 1000;
	latencies.sort((a, b) => a - b);
	const at = (quantile: number) =>
		latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * quantile))] ?? NaN;
	return {
		perSecond: latencies.length / window,
		p50: at(0.5),
		p99: at(0.99),
		failures,
		firstFailure
	};
}
