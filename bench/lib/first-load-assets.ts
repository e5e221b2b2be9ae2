// What the first page costs: the JavaScript and CSS Chromium actually requests, counted at their
// gzipped size in the build. Shared by the first-load benchmark and the budget test in `npm test`.
import type { Page } from '@playwright/test';
import { gzippedBytes } from './build-output';

/** The first-load budget, in bytes of gzipped JavaScript and CSS (issue 3). */
export const FIRST_LOAD_BUDGET_BYTES = 80_000;

/** Starts recording the paths of the app's JS and CSS the page (and its workers) request; the
 * returned array fills as the page loads. */
export function recordAssets(page: Page, origin: string): string[] {
	const paths: string[] = [];
	page.on('request', (request) => {
		const url = new URL(request.url());
		if (
			url.origin === origin &&
			/\.(js|css)$/.test(url.pathname) &&
			!paths.includes(url.pathname)
		) {
			paths.push(url.pathname);
		}
	});
	return paths;
}

export function totalGzippedBytes(paths: string[]): number {
	return paths.reduce((sum, path) => sum + gzippedBytes(path), 0);
}
