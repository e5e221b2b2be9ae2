// First load on a Tor-like link: how much JavaScript and CSS the first page needs, and how long
// a returning person waits until the inbox is usable, cold (nothing cached) and warm (the
// service worker's cache, or in Tor Browser, which has no service worker, the HTTP cache), with
// DevTools-protocol throttling: 600 ms round trip, 1 Mbit/s down, 512 kbit/s up. The passphrase
// is typed the moment the field appears, so only the app waits. Next to each time: the request
// waterfall behind it (round trips in a row, requests, bytes), where the time goes on such a link.
import { performance } from 'node:perf_hooks';
import type { BrowserContext, Page } from '@playwright/test';
import { PASSPHRASE, onboard, uniqueName, writeMessage } from '../../tests/e2e/support';
import { startApp } from '../lib/app-server';
import { cryptoWorkerPath, gzippedBytes, isCryptoWorker } from '../lib/build-output';
import { launchChromium } from '../lib/chromium';
import { compared, type Figure, type Measure } from '../lib/figures';
import { FIRST_LOAD_BUDGET_BYTES, recordAssets, totalGzippedBytes } from '../lib/first-load-assets';
import { describe, leg, recordWaterfall, type Leg, type Waterfall } from '../lib/waterfall';

const PORT = Number(process.env.BENCH_FIRST_LOAD_PORT ?? 4314);
const TOR_LIKE = {
	offline: false,
	latency: 600,
	downloadThroughput: 1_000_000 / 8,
	uploadThroughput: 512_000 / 8
};
const GOALS_MS = { cold: 6000, warm: 1000 };
const RUNS = Number(process.env.BENCH_FIRST_LOAD_RUNS ?? 3);

interface Visit {
	/** Until the unlock screen accepts the passphrase. */
	unlockReady: number;
	/** Until the inbox lists the newest message, decrypted. */
	inboxUsable: number;
	assetsBeforeUnlock: string[];
	/** The requests until the unlock screen, and from there to the listed message. */
	toUnlockScreen: Leg;
	toInbox: Leg;
}

async function throttledPage(
	context: BrowserContext,
	throttled = true
): Promise<{ page: Page; waterfall: Waterfall }> {
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	const waterfall = recordWaterfall(page, cdp);
	await cdp.send('Network.enable');
	if (throttled) await cdp.send('Network.emulateNetworkConditions', TOR_LIKE);
	return { page, waterfall };
}

/** One visit by a returning person, timed from the start of navigation. */
async function visit(
	context: BrowserContext,
	origin: string,
	subject: string,
	label: string,
	throttled = true
): Promise<Visit> {
	const { page, waterfall } = await throttledPage(context, throttled);
	const assets = recordAssets(page, origin);
	const began = performance.now();
	const beganAt = Date.now();
	await page.goto('/', { waitUntil: 'commit' });
	const passphrase = page.getByLabel('Passphrase');
	await passphrase.waitFor({ state: 'visible', timeout: 120_000 });
	const unlockReady = performance.now() - began;
	const unlockReadyAt = Date.now();
	const assetsBeforeUnlock = [...assets];
	await passphrase.fill(PASSPHRASE);
	const unlockAt = Date.now();
	await page.getByRole('button', { name: 'Unlock' }).click();
	await page.getByRole('link', { name: subject }).first().waitFor({ timeout: 120_000 });
	const inboxUsable = performance.now() - began;
	const inboxAt = Date.now();
	await page.close();
	const exchanges = await waterfall.exchanges();
	if (process.env.BENCH_FIRST_LOAD_WATERFALL) {
		console.error(
			`${label} (unlock screen at ${unlockReadyAt - beganAt} ms, Unlock pressed at ` +
				`${unlockAt - beganAt} ms, inbox usable at ${inboxAt - beganAt} ms):`
		);
		console.error(describe(exchanges, beganAt));
	}
	return {
		unlockReady,
		inboxUsable,
		assetsBeforeUnlock,
		toUnlockScreen: leg(exchanges, beganAt, unlockReadyAt),
		toInbox: leg(exchanges, unlockReadyAt, inboxAt)
	};
}

/** The visit with the median time to a usable inbox out of RUNS. */
async function median(run: (count: number) => Promise<Visit>): Promise<Visit> {
	const visits: Visit[] = [];
	for (let count = 1; count <= RUNS; count++) visits.push(await run(count));
	visits.sort((a, b) => a.inboxUsable - b.inboxUsable);
	return visits[Math.floor(visits.length / 2)]!;
}

/** The anchor: one small request under the same throttling, the floor for any exchange. */
async function oneRequest(context: BrowserContext): Promise<number> {
	const { page } = await throttledPage(context);
	await page.goto('/api/info');
	const milliseconds = await page.evaluate(async () => {
		const began = performance.now();
		await fetch('/api/info', { cache: 'no-store' }).then((response) => response.text());
		return performance.now() - began;
	});
	await page.close();
	return milliseconds;
}

/** The waterfall of one leg, shown next to its time: round trips in a row, requests, bytes. */
function waterfallFigure(name: string, part: Leg): Figure {
	return {
		bench: 'first-load',
		name: `${name} (${part.requests} requests, ${part.overNetwork} over the network)`,
		value: { value: part.roundTrips, unit: 'round trips' },
		note: `${(part.bytes / 1000).toFixed(1)} KB over the network`
	};
}

export async function runFirstLoadBench(): Promise<Figure[]> {
	const app = await startApp(PORT);
	const browser = await launchChromium();
	try {
		// Tor Browser has no service worker, so there only the HTTP cache makes a visit warm; a
		// browser with one (the PWA) has the app shell precached. One returning person in each,
		// with a key on the device and a letter from someone else already in the inbox.
		const tor = await browser.newContext({ baseURL: app.origin, serviceWorkers: 'block' });
		const pwa = await browser.newContext({ baseURL: app.origin });
		const torSetup = await tor.newPage();
		const pwaSetup = await pwa.newPage();
		const torAddress = await onboard(torSetup, 'First Load', uniqueName('first-load'));
		const pwaAddress = await onboard(pwaSetup, 'Second Load', uniqueName('second-load'));
		const writer = await (await browser.newContext({ baseURL: app.origin })).newPage();
		await onboard(writer, 'Carol', uniqueName('carol'));
		const subject = `Welcome back ${uniqueName('note')}`;
		await writeMessage(writer, {
			to: `${torAddress}, ${pwaAddress}`,
			subject,
			body: 'The inbox has something to show.'
		});
		for (const setup of [torSetup, pwaSetup]) {
			await setup.getByRole('link', { name: subject }).waitFor({ timeout: 60_000 });
		}
		await writer.close();
		await pwaSetup.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
		await pwaSetup.close();

		// Cold: nothing cached (and no service worker), but the key stays in IndexedDB.
		await torSetup.close();
		// Each kind of visit several times, the median kept: the shared cores make one vary.
		const cold = await median(async (run) => {
			// Cold: nothing cached (and no service worker), but the key stays in IndexedDB.
			const cleaner = await tor.newPage();
			await (await tor.newCDPSession(cleaner)).send('Network.clearBrowserCache');
			await cleaner.close();
			return visit(tor, app.origin, subject, `Cold, run ${run}`);
		});
		const warmTor = await median((run) =>
			visit(tor, app.origin, subject, `Warm, HTTP cache only, run ${run}`)
		);
		const warm = await median((run) =>
			visit(pwa, app.origin, subject, `Warm, service worker, run ${run}`)
		);
		// The same visit at loopback speed: what this machine's CPU alone takes right now, the
		// floor under the throttled figures.
		const local = await median((run) =>
			visit(pwa, app.origin, subject, `Warm, not throttled, run ${run}`, false)
		);
		const roundTrip: Measure = { value: await oneRequest(tor), unit: 'ms' };

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
		const visitFigures = (label: string, measured: Visit, goal: number) => [
			timing(`${label}: unlock screen ready`, measured.unlockReady),
			waterfallFigure(`${label}: to the unlock screen`, measured.toUnlockScreen),
			timing(`${label}: inbox usable`, measured.inboxUsable, goal),
			waterfallFigure(`${label}: from the unlock screen to the inbox`, measured.toInbox)
		];
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
			...visitFigures('cold', cold, GOALS_MS.cold),
			...visitFigures('warm, service worker', warm, GOALS_MS.warm),
			...visitFigures('warm, Tor Browser (HTTP cache only)', warmTor, GOALS_MS.warm),
			{
				bench: 'first-load',
				name: 'warm, service worker, not throttled: inbox usable (CPU only)',
				value: { value: local.inboxUsable, unit: 'ms' }
			}
		];
	} finally {
		await browser.close();
		await app.stop();
	}
}
