// A closed-loop load generator: N clients, each sending its next request as soon as the last
// one is answered, for a fixed time after a short warm-up. Every request is timed. Loads that are
// compared with each other run interleaved in rounds, so that a burst of work from elsewhere on
// a shared machine falls on all of them rather than on one.
import { performance } from 'node:perf_hooks';
import type { Answer } from './client';

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
	/** One request by client `index`; resolves to the status it expects and the answer, body read
	 * (a client has not got its answer before). */
	request(index: number): Promise<{ answer: Answer; expected: number }>;
}

interface Sample {
	latencies: number[];
	windowSeconds: number;
	failures: number;
	firstFailure: string | null;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	return summarise([await sample(options)]);
}

/** Runs each load `rounds` times, one after the other in every round, each for its share of
 * `seconds`; every load's result covers all its rounds. */
export async function runInterleaved<K extends string>(
	loads: Record<K, LoadOptions['request']>,
	options: Omit<LoadOptions, 'request'> & { rounds: number }
): Promise<Record<K, LoadResult>> {
	const names = Object.keys(loads) as K[];
	const samples = new Map<K, Sample[]>(names.map((name) => [name, []]));
	for (let round = 0; round < options.rounds; round++) {
		for (const name of names) {
			samples.get(name)!.push(
				await sample({
					...options,
					seconds: options.seconds / options.rounds,
					request: loads[name]
				})
			);
		}
	}
	return Object.fromEntries(names.map((name) => [name, summarise(samples.get(name)!)])) as Record<
		K,
		LoadResult
	>;
}

function summarise(samples: Sample[]): LoadResult {
	const latencies = samples.flatMap((one) => one.latencies).sort((a, b) => a - b);
	const window = samples.reduce((sum, one) => sum + one.windowSeconds, 0);
	const at = (quantile: number) =>
		latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * quantile))] ?? NaN;
	return {
		perSecond: latencies.length / window,
		p50: at(0.5),
		p99: at(0.99),
		failures: samples.reduce((sum, one) => sum + one.failures, 0),
		firstFailure: samples.find((one) => one.firstFailure)?.firstFailure ?? null
	};
}

async function sample(options: LoadOptions): Promise<Sample> {
	const latencies: number[] = [];
	let failures = 0;
	let firstFailure: string | null = null;
	const began = performance.now();
	const measureFrom = began + options.warmupSeconds * 1000;
	const stopAt = measureFrom + options.seconds * 1000;

	const client = async (index: number) => {
		while (performance.now() < stopAt) {
			const sent = performance.now();
			const { answer, expected } = await options.request(index);
			const answered = performance.now();
			if (sent < measureFrom) continue;
			latencies.push(answered - sent);
			if (answer.status !== expected) {
				failures++;
				firstFailure ??= `${answer.status} ${answer.body.slice(0, 200)}`;
			}
		}
	};
	await Promise.all(Array.from({ length: options.clients }, (_, index) => client(index)));
	return {
		latencies,
		windowSeconds: (performance.now() - measureFrom) / 1000,
		failures,
		firstFailure
	};
}
