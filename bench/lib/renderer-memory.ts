// Memory of the page under test, read from Linux's own accounting of Chromium's renderer
// process: a page and its Web Workers live in one renderer, so its memory includes the worker
// heaps and every ArrayBuffer. We count anonymous and shared-memory pages (RssAnon + RssShmem)
// and leave out file-backed pages, which are mostly Chromium's own binary and libraries.
import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';

const SAMPLE_MS = 20;

export async function rendererPids(browser: Browser): Promise<number[]> {
	const session = await browser.newBrowserCDPSession();
	const { processInfo } = await session.send('SystemInfo.getProcessInfo');
	await session.detach();
	return processInfo.filter((process) => process.type === 'renderer').map((process) => process.id);
}

/** The largest renderer's memory now, in bytes. */
export function rendererBytes(pids: number[]): number {
	return Math.max(
		...pids.map((pid) => {
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			const field = (name: string) =>
				Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
			return (field('RssAnon') + field('RssShmem')) * 1024;
		})
	);
}

/** Runs `work` while sampling renderer memory; returns its result and the peak seen, in bytes.
 * Linux keeps no peak for these fields, so a spike shorter than the interval can be missed. */
export async function withPeakMemory<T>(
	pids: number[],
	work: () => Promise<T>
): Promise<{ result: T; peakBytes: number }> {
	let peakBytes = rendererBytes(pids);
	const timer = setInterval(
		() => (peakBytes = Math.max(peakBytes, rendererBytes(pids))),
		SAMPLE_MS
	);
	try {
		const result = await work();
		peakBytes = Math.max(peakBytes, rendererBytes(pids));
		return { result, peakBytes };
	} finally {
		clearInterval(timer);
	}
}
