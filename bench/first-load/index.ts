// First load on a Tor-like link: how much JavaScript and CSS the first page needs, and how long
// a returning person waits until the inbox is usable, cold (nothing cached) and warm (the
// service worker's cache), with DevTools-protocol throttling: 600 ms round trip, 1 Mbit/s down,
// 512 kbit/s up. The passphrase is typed the moment the field appears, so only the app waits.
import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page } from '@playwright/test';
import { PASSPHRASE, onboard, uniqueName, writeMessage } from '../../tests/e2e/support';
import { startApp } from '../lib/app-server';
import { cryptoWorkerPath, gzippedBytes, isCryptoWorker } from '../lib/build-output';
import { launchChromium } from '../lib/chromium';
import { compared, type Figure, type Measure } from '../lib/figures';
import { FIRST_LOAD_BUDGET_BYTES, recordAssets, totalGzippedBytes } from '../lib/first-load-assets';

const PORT = 4314;
const TOR_LIKE = {
	offline: false,
	latency: 600,
	downloadThroughput: 1_000_000 / 8,
	uploadThroughput: 512_000 / 8
};
const GOALS_MS = { cold: 6000, warm: 1000 };

interface Visit {
	/** Until the unlock screen accepts the passphrase. */
	unlockReady: number;
	/** Until the inbox lists the newest message, decrypted. */
	inboxUsable: number;
	assetsBeforeUnlock: string[];
}

async function throttledPage(context: BrowserContext): Promise<Page> {
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', TOR_LIKE);
	return page;
}

/** One visit by a returning person, timed from the start of navigation. */
async function visit(context: BrowserContext, origin: string, subject: string): Promise<Visit> {
	const page = await throttledPage(context);
	const assets = recordAssets(page, origin);
	const began = performance.now();
	await page.goto('/', { waitUntil: 'commit' });
	const passphrase = page.getByLabel('Passphrase');
	await passphrase.waitFor({ state: 'visible', timeout: 120_000 });
	const unlockReady = performance.now() - began;
	const assetsBeforeUnlock = [...assets];
	await passphrase.fill(PASSPHRASE);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await page.getByRole('link', { name: subject }).first().waitFor({ timeout: 120_000 });
	const inboxUsable = performance.now() - began;
	await page.close();
	return { unlockReady, inboxUsable, assetsBeforeUnlock };
}

/** The anchor: one small request under the same throttling, the floor for any exchange. */
async function oneRequest(context: BrowserContext): Promise<number> {
	const page = await throttledPage(context);
	await page.goto('/api/info');
	const milliseconds = await page.evaluate(async () => {
		const began = performance.now();
		await fetch('/api/info', { cache: 'no-store' }).then((response) => response.text());
		return performance.now() - began;
	});
	await page.close();
	return milliseconds;
}

export async function runFirstLoadBench(): Promise<Figure[]> {
	const app = await startApp(PORT);
	const browser = await launchChromium();
	try {
		const context = await browser.newContext({ baseURL: app.origin });
		// A person with a key on this device and a message from someone else in the inbox.
		const setup = await context.newPage();
		const address = await onboard(setup, 'First Load', uniqueName('first-load'));
		const writer = await (await browser.newContext({ baseURL: app.origin })).newPage();
		await onboard(writer, 'Carol', uniqueName('carol'));
		const subject = `Welcome back ${uniqueName('note')}`;
		await writeMessage(writer, { to: address, subject, body: 'The inbox has something to show.' });
		await setup.getByRole('link', { name: subject }).waitFor({ timeout: 60_000 });
		await writer.close();
		await setup.close();

		// Cold: no HTTP cache and no service worker, but the key stays in IndexedDB.
		const cleaner = await context.newPage();
		await cleaner.goto('/api/info');
		await cleaner.evaluate(async () => {
			for (const registration of await navigator.serviceWorker.getRegistrations()) {
				await registration.unregister();
			}
			for (const key of await caches.keys()) await caches.delete(key);
		});
		await (await context.newCDPSession(cleaner)).send('Network.clearBrowserCache');
		await cleaner.close();
		const cold = await visit(context, app.origin, subject);

		// Warm: the visit above registered the service worker; wait until it has the app shell.
		const waiter = await context.newPage();
		await waiter.goto('/api/info');
		await waiter.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
		await waiter.close();
		const warm = await visit(context, app.origin, subject);
		const roundTrip: Measure = { value: await oneRequest(context), unit: 'ms' };

		const firstLoadBytes = totalGzippedBytes(cold.assetsBeforeUnlock);
		const workerBytes = gzippedBytes(cryptoWorkerPath());
		const workerEarly = cold.assetsBeforeUnlock.some(isCryptoWorker);
		const timing = (name: string, milliseconds: number, goal?: number) =>
			compared(
				'first-load',
				name,
				{ value: milliseconds, unit: 'ms' },
				{ ...roundTrip, name: 'one request' },
				goal ? () => ({ text: `≤ ${goal / 1000} s`, met: milliseconds <= goal }) : undefined
			);
		return [
			compared(
				'first-load',
				`JS+CSS before the unlock screen (gzipped, ${cold.assetsBeforeUnlock.length} files)`,
				{ value: firstLoadBytes / 1000, unit: 'KB' },
				{ value: workerBytes / 1000, unit: 'KB', name: 'crypto worker' },
				() => ({
					text: `≤ ${FIRST_LOAD_BUDGET_BYTES / 1000} KB, no worker`,
					met: firstLoadBytes <= FIRST_LOAD_BUDGET_BYTES && !workerEarly
				})
			),
			timing('cold: unlock screen ready (Tor-like)', cold.unlockReady),
			timing('cold: inbox usable (Tor-like)', cold.inboxUsable, GOALS_MS.cold),
			timing('warm: unlock screen ready (Tor-like)', warm.unlockReady),
			timing('warm: inbox usable (Tor-like)', warm.inboxUsable, GOALS_MS.warm)
		];
	} finally {
		await browser.close();
		await app.stop();
	}
}
