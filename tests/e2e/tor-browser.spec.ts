// Promise 6 in a Tor Browser stand-in: Debian's Firefox ESR driven over WebDriver BiDi with Tor
// Browser's settings (private browsing only, no service worker, no WebAssembly as at "Safer", no
// WebGL). Two people in two private contexts do the full round trip. The app is opened under
// another host name than the one it was started with (localhost instead of 127.0.0.1), as an
// onion mirror is: the relay names that mirror (ONION_LOCATION) in the login challenges it
// issues there, and any absolute URL in the build would break it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { relayProcess, sparePort, type RelayProcess } from './relay-process';
import { PASSPHRASE, uniqueName } from './support';

const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const TOR_BROWSER_PREFS = {
	'browser.privatebrowsing.autostart': true,
	'dom.serviceWorkers.enabled': false,
	'javascript.options.wasm': false,
	'webgl.disabled': true
};
const SLOW = { timeout: 90_000 };

const port = sparePort(13);
const mirror = `http://localhost:${port}`;
let dataDir = '';
let relay: RelayProcess;

let browser: Browser | undefined;
test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-tor-'));
	relay = relayProcess({ port, dataDir, env: { ONION_LOCATION: mirror } });
	await relay.start();
});
test.afterAll(async () => {
	await browser?.close();
	await relay?.kill();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A page that records every request and CSP violation, in its own private context. */
async function privatePage(origin: string) {
	const page = await (await browser!.createBrowserContext()).newPage();
	const foreign: string[] = [];
	page.on('request', (request) => {
		if (!request.url().startsWith(`${origin}/`)) foreign.push(request.url());
	});
	await page.evaluateOnNewDocument(() => {
		const store = window as unknown as { __violations: string[] };
		store.__violations = [];
		document.addEventListener('securitypolicyviolation', (event) =>
			store.__violations.push(`${event.violatedDirective} ${event.blockedURI}`)
		);
	});
	const violations = () =>
		page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
	return { page, foreign, violations };
}

async function textOf(page: Page, selector: string): Promise<string> {
	return page.$eval(selector, (element) => (element as HTMLElement).innerText.trim());
}

async function onboard(page: Page, origin: string, name: string): Promise<string> {
	const local = uniqueName(name.toLowerCase());
	await page.goto(`${origin}/`);
	await page.waitForSelector('#name', SLOW);
	await page.type('#name', name);
	await page.type('#local', local);
	await page.type('#passphrase', PASSPHRASE);
	await page.type('#repeat', PASSPHRASE);
	await page.click('button[type="submit"]');
	await page.waitForFunction(
		() => document.querySelector('#folder-title')?.textContent === 'Inbox',
		SLOW
	);
	return `${local}@localhost`;
}

async function ownFingerprint(page: Page): Promise<string> {
	return page.$eval('[data-testid="account-menu"] [data-fingerprint]', (element) =>
		element.getAttribute('data-fingerprint')
	) as Promise<string>;
}

test('Tor Browser settings: create, send, read and verify fingerprints', async () => {
	test.setTimeout(240_000);
	expect(new URL(relay.origin).hostname).toBe('127.0.0.1');
	const origin = mirror;
	browser = await puppeteer.launch({
		browser: 'firefox',
		protocol: 'webDriverBiDi',
		executablePath: FIREFOX,
		headless: true,
		extraPrefsFirefox: TOR_BROWSER_PREFS
	});

	const alice = await privatePage(origin);
	const bob = await privatePage(origin);
	// What Tor Browser at "Safer" takes away, the app must do without.
	expect(
		await alice.page.evaluate(() => [typeof WebAssembly, 'serviceWorker' in navigator])
	).toEqual(['undefined', false]);

	const aliceAddress = await onboard(alice.page, origin, 'Alice');
	const bobAddress = await onboard(bob.page, origin, 'Bob');
	const aliceFingerprint = await ownFingerprint(alice.page);
	expect(aliceFingerprint).toMatch(/^[0-9A-F]{40}$/);

	const subject = `Over Tor ${uniqueName('note')}`;
	const body = 'Hello Bob,\nthis went through Firefox ESR with Tor Browser settings.';
	await alice.page.click('nav a.write');
	await alice.page.waitForSelector('#to', SLOW);
	await alice.page.type('#to', bobAddress);
	await alice.page.type('#subject', subject);
	await alice.page.type('#body', body);
	await alice.page.click('button[type="submit"]');
	await alice.page.waitForFunction(
		() => document.querySelector('#folder-title')?.textContent === 'Sent',
		SLOW
	);

	// Bob's open inbox picks the message up by polling; he opens it and checks who signed it.
	const row = `li[data-message-id]:has(a[href*="id="])`;
	await bob.page.waitForFunction(
		(wanted: string, selector: string) =>
			[...document.querySelectorAll(selector)].some((li) => li.textContent?.includes(wanted)),
		SLOW,
		subject,
		row
	);
	await bob.page.evaluate(
		(wanted: string, selector: string) => {
			const li = [...document.querySelectorAll(selector)].find((item) =>
				item.textContent?.includes(wanted)
			);
			li?.querySelector('a')?.click();
		},
		subject,
		row
	);
	await bob.page.waitForFunction(
		(wanted: string) => document.querySelector('#message-subject')?.textContent === wanted,
		SLOW,
		subject
	);
	expect(await textOf(bob.page, 'article pre.body')).toBe(body);
	// Alice is new to Bob: he chooses to look her key up before her signature can be checked.
	await bob.page.click(`article .from button[data-look-up="${aliceAddress}"]`);
	await bob.page.waitForFunction(
		() =>
			document.querySelector('article [data-signature]')?.getAttribute('data-signature') ===
			'valid',
		SLOW
	);
	expect(
		await bob.page.$eval(`article .from [data-address="${aliceAddress}"]`, (e) =>
			e.getAttribute('data-fingerprint')
		)
	).toBe(aliceFingerprint);

	for (const person of [alice, bob]) {
		expect(person.foreign).toEqual([]);
		expect(await person.violations()).toEqual([]);
	}
});
