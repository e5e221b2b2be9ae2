// A mailbox of 10,000 and of 100,000 letters on the device, unlocked in Chromium with the built
// app: time until the inbox is usable (the newest letter listed with its subject), until every
// letter is listed (the oldest one shown at the end of the list), to open one letter, and the
// page's memory. Anchors in the same page: reading the same sealed bytes from IndexedDB without
// decrypting them, and one WebCrypto AES-GCM decryption of that many bytes.
import type { Page } from '@playwright/test';
import type { SummaryRecord } from '../../src/lib/client/summary-store';
import type { SearchKeyRecord } from '../../src/lib/client/sealing-key';
import { letterWriter } from '../../tests/helpers/letter-writer';
import { PASSPHRASE, onboard, uniqueName } from '../../tests/e2e/support';
import { startApp } from '../lib/app-server';
import { launchChromium } from '../lib/chromium';
import { compared, type Figure } from '../lib/figures';
import { rendererBytes, rendererPids, withPeakMemory } from '../lib/renderer-memory';
import { OLDEST_SUBJECT, sealedFixtures } from './fixtures';

const PORT = Number(process.env.BENCH_MAILBOX_PORT ?? 4317);
const SIZES = (process.env.BENCH_MAILBOX_LETTERS ?? '10000,100000').split(',').map(Number);
const GOALS_MS: Record<number, number> = { 10_000: 1000, 100_000: 2000 };
const MEMORY_GOAL_MB = 200;
const REAL_SUBJECT = 'The one real letter';

interface Base64Record {
	key: string;
	owner: string;
	iv: string;
	sealed: string;
}

/** Records in and out of the page's IndexedDB, as base64 (page.evaluate carries JSON). */
const toBase64 = (records: SummaryRecord[]): Base64Record[] =>
	records.map((record) => ({
		key: record.key,
		owner: record.owner,
		iv: Buffer.from(record.iv).toString('base64'),
		sealed: Buffer.from(record.sealed).toString('base64')
	}));
const fromBase64 = (records: Base64Record[]): SummaryRecord[] =>
	records.map((record) => ({
		key: record.key,
		owner: record.owner,
		iv: new Uint8Array(Buffer.from(record.iv, 'base64')),
		sealed: new Uint8Array(Buffer.from(record.sealed, 'base64'))
	}));

/** Runs in the page: the app's IndexedDB database, with plain IndexedDB calls. */
async function readStores(page: Page, address: string) {
	return page.evaluate(async (address) => {
		const database = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('letterlock');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const get = <T>(store: string, key?: string) =>
			new Promise<T>((resolve, reject) => {
				const objects = database.transaction(store).objectStore(store);
				const request = key === undefined ? objects.getAll() : objects.get(key);
				request.onsuccess = () => resolve(request.result as T);
				request.onerror = () => reject(request.error);
			});
		const base64 = (bytes: Uint8Array) => {
			let text = '';
			for (let at = 0; at < bytes.length; at += 0x8000) {
				text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
			}
			return btoa(text);
		};
		type Sealed = { key: string; owner: string; iv: Uint8Array; sealed: Uint8Array };
		const summaries = (await get<Sealed[]>('summaries')).map((record) => ({
			key: record.key,
			owner: record.owner,
			iv: base64(record.iv),
			sealed: base64(record.sealed)
		}));
		const identity = await get<{ publicKey: string; lockedPrivateKey: string }>(
			'identities',
			address
		);
		const searchKey = await get<{ address: string; sealed: string }>('searchKeys', address);
		database.close();
		return { summaries, identity, searchKey };
	}, address);
}

async function writeSummaries(page: Page, records: Base64Record[]): Promise<void> {
	await page.evaluate(async (records) => {
		const database = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('letterlock');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const bytes = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
		const transaction = database.transaction('summaries', 'readwrite');
		for (const record of records) {
			transaction.objectStore('summaries').put({
				...record,
				iv: bytes(record.iv),
				sealed: bytes(record.sealed)
			});
		}
		await new Promise((resolve, reject) => {
			transaction.oncomplete = resolve;
			transaction.onerror = () => reject(transaction.error);
		});
		database.close();
	}, records);
}

/** The anchors, in the page: reading the sealed records, and one AES-GCM decryption of as
 * many bytes. Returns milliseconds and the bytes read. */
async function anchors(page: Page) {
	return page.evaluate(async () => {
		const database = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('letterlock');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		let began = performance.now();
		const records = await new Promise<{ sealed: Uint8Array }[]>((resolve, reject) => {
			const request = database.transaction('summaries').objectStore('summaries').getAll();
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const readMs = performance.now() - began;
		database.close();
		const bytes = records.reduce((sum, record) => sum + record.sealed.length, 0);
		const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
			'encrypt',
			'decrypt'
		]);
		const iv = crypto.getRandomValues(new Uint8Array(12));
		const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new Uint8Array(bytes));
		began = performance.now();
		await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed);
		return { readMs, aesMs: performance.now() - began, bytes };
	});
}

/** From the click on Unlock until the newest letter is listed with its subject. */
async function unlockedUntilUsable(page: Page): Promise<number> {
	await page.getByLabel('Passphrase').fill(PASSPHRASE);
	const began = performance.now();
	await page.getByRole('button', { name: 'Unlock' }).click();
	const firstRow = page.locator('li[data-message-id] a.subject').first();
	await firstRow.filter({ hasText: REAL_SUBJECT }).waitFor({ timeout: 120_000 });
	return performance.now() - began;
}

async function measure(origin: string, count: number): Promise<Figure[]> {
	const browser = await launchChromium();
	try {
		const context = await browser.newContext({ baseURL: origin });
		// tsx names the functions inside page.evaluate with a helper the page does not have.
		await context.addInitScript('globalThis.__name = (f) => f');
		const setup = await context.newPage();
		const address = await onboard(setup, 'Reader', uniqueName('reader'));
		const writer = await letterWriter(origin, `${uniqueName('writer')}@localhost`);
		await writer.write(address, { to: [address], subject: REAL_SUBJECT });
		await setup.getByRole('link', { name: REAL_SUBJECT }).waitFor({ timeout: 60_000 });
		// The store writes a moment after a change: wait until the real letter is sealed.
		await setup.waitForTimeout(1000);

		// The same unlock with only that letter on the device: what unlocking costs by itself
		// (the passphrase's S2K, signing in, opening the sealing secret).
		await setup.reload();
		const oneLetterMs = await unlockedUntilUsable(setup);

		const stores = await readStores(setup, address);
		const sealed = await sealedFixtures({
			count,
			identity: { address, ...stores.identity },
			passphrase: PASSPHRASE,
			searchKey: stores.searchKey as SearchKeyRecord,
			existing: fromBase64(stores.summaries)
		});
		// Written from a page of its own, closed after, so its garbage is not counted.
		await setup.close();
		const loader = await context.newPage();
		await loader.goto('/');
		await writeSummaries(loader, toBase64(sealed));
		await loader.close();
		const page = await context.newPage();
		await page.goto('/');
		await page.getByLabel('Passphrase').waitFor();
		const anchor = await anchors(page);

		const pids = await rendererPids(browser);
		const idleBytes = rendererBytes(pids);
		const { result, peakBytes } = await withPeakMemory(pids, async () => {
			const began = performance.now();
			const usableMs = await unlockedUntilUsable(page);
			// Every letter is listed once the oldest shows at the end of the (virtual) list.
			// Rows measured on the way may lengthen the list, so keep going to the end, as End does.
			const oldest = page.getByRole('link', { name: OLDEST_SUBJECT });
			while (!(await oldest.isVisible())) {
				await page.locator('.scroller').evaluate((box) => (box.scrollTop = box.scrollHeight));
			}
			const everyMs = performance.now() - began;
			await page.locator('.scroller').evaluate((box) => (box.scrollTop = 0));
			const opening = performance.now();
			await page.getByRole('link', { name: REAL_SUBJECT }).click();
			await page.getByRole('heading', { level: 2, name: REAL_SUBJECT }).waitFor();
			return { usableMs, everyMs, openMs: performance.now() - opening };
		});
		const label = count.toLocaleString('en');
		const goal = GOALS_MS[count];
		const readAnchor = { value: anchor.readMs, unit: 'ms', name: 'read the sealed bytes' };
		const aesAnchor = { value: anchor.aesMs, unit: 'ms', name: 'one AES-GCM decryption' };
		const mb = (anchor.bytes / 1e6).toFixed(1);
		return [
			{
				...compared(
					'mailbox',
					`inbox usable after unlock, ${label} letters (${mb} MB sealed)`,
					{ value: result.usableMs, unit: 'ms' },
					readAnchor
				),
				...(goal ? { goal: { text: `≤ ${goal} ms`, met: result.usableMs <= goal } } : {})
			},
			compared(
				'mailbox',
				`every letter listed, ${label} letters`,
				{ value: result.everyMs, unit: 'ms' },
				aesAnchor
			),
			{
				bench: 'mailbox',
				name: `open one letter, ${label} letters listed`,
				value: { value: result.openMs, unit: 'ms' }
			},
			{
				bench: 'mailbox',
				name: 'inbox usable after unlock, 1 letter (unlocking alone)',
				value: { value: oneLetterMs, unit: 'ms' }
			},
			{
				...compared(
					'mailbox',
					`page peak memory, ${label} letters`,
					{ value: peakBytes / 1e6, unit: 'MB' },
					{ value: idleBytes / 1e6, unit: 'MB', name: 'the same page locked' }
				),
				goal: { text: `≤ ${MEMORY_GOAL_MB} MB`, met: peakBytes / 1e6 <= MEMORY_GOAL_MB }
			}
		];
	} finally {
		await browser.close();
	}
}

export async function runMailboxBench(): Promise<Figure[]> {
	const app = await startApp(PORT);
	try {
		const figures: Figure[] = [];
		for (const count of SIZES) figures.push(...(await measure(app.origin, count)));
		return figures;
	} finally {
		await app.stop();
	}
}
