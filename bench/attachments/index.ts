// A large attachment through the real app: one person attaches a file in the compose form (as a
// disk-backed File, the way a picked file is), the page encrypts it block by block into the
// outbox and uploads it to the relay; the recipient's page saves it, fetching, checking and
// decrypting block by block into the origin private file system. Timed from the click to the
// outbox saying "sent", and from "Save" to the browser's download; the renderers' memory is
// sampled throughout. Anchor: WebCrypto AES-256-GCM in the same page over 8 MiB blocks.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from '@playwright/test';
import { onboard, uniqueName, unlock } from '../../tests/e2e/support';
import { startApp } from '../lib/app-server';
import { launchChromium } from '../lib/chromium';
import {
	MIB,
	compared,
	megabytesPerSecond,
	sizeLabel,
	type Figure,
	type Measure
} from '../lib/figures';
import { rendererBytes, rendererPids, withPeakMemory } from '../lib/renderer-memory';

const PORT = 4316;
const BLOCK_BYTES = 8 * MIB;
const MEMORY_GOAL_MB = 300;
const SPEED_GOAL = 0.5;
/** WebCrypto's AES-GCM is measured over this much, in 8 MiB blocks: enough for a steady rate. */
const ANCHOR_BYTES = 256 * MIB;

function fileBytes(): number {
	const mib = Number(process.env.BENCH_ATTACHMENT_MIB ?? 1024);
	if (!(mib > 0)) throw new Error('BENCH_ATTACHMENT_MIB must be a size in MiB.');
	return Math.round(mib * MIB);
}

/** Random (incompressible) bytes on disk, written a block at a time; returns its SHA-256. */
function writeRandomFile(path: string, size: number): string {
	const hash = createHash('sha256');
	writeFileSync(path, '');
	for (let written = 0; written < size; written += BLOCK_BYTES) {
		const block = randomBytes(Math.min(BLOCK_BYTES, size - written));
		hash.update(block);
		writeFileSync(path, block, { flag: 'a' });
	}
	return hash.digest('hex');
}

async function hashFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** WebCrypto AES-256-GCM encryption in this page, 8 MiB blocks, one after another. */
function aesGcmRate(page: Page): Promise<Measure> {
	return page.evaluate(
		async ({ total, block }) => {
			const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
				'encrypt'
			]);
			const plain = new Uint8Array(block);
			const began = performance.now();
			for (let index = 0; index < total / block; index++) {
				const iv = new Uint8Array(12);
				new DataView(iv.buffer).setUint32(8, index);
				await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain);
			}
			const seconds = (performance.now() - began) / 1000;
			return { value: total / 1e6 / seconds, unit: 'MB/s' };
		},
		{ total: ANCHOR_BYTES, block: BLOCK_BYTES }
	);
}

async function person(browser: Browser, origin: string, name: string) {
	const context = await browser.newContext({ baseURL: origin, acceptDownloads: true });
	// No save dialog can be clicked here: the page takes its private-file-system path.
	await context.addInitScript(() => {
		delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
	});
	const page = await context.newPage();
	const address = await onboard(page, name, uniqueName(name.toLowerCase()));
	return { page, address };
}

export async function runAttachmentsBench(): Promise<Figure[]> {
	const size = fileBytes();
	const directory = mkdtempSync(join(tmpdir(), 'letterlock-bench-attachment-'));
	const app = await startApp(PORT, { BODY_SIZE_LIMIT: '9M' });
	const browser = await launchChromium();
	try {
		const path = join(directory, 'large.bin');
		const original = writeRandomFile(path, size);
		const alice = await person(browser, app.origin, 'Alice');
		const bob = await person(browser, app.origin, 'Bob');
		const anchor = { ...(await aesGcmRate(alice.page)), name: 'WebCrypto AES-256-GCM' };
		const pids = await rendererPids(browser);
		const idle: Measure & { name: string } = {
			value: rendererBytes(pids) / 1e6,
			unit: 'MB',
			name: 'the page idle'
		};

		const subject = `Large ${uniqueName('file')}`;
		await alice.page.getByRole('link', { name: 'Write a message' }).click();
		await alice.page.getByLabel('To').fill(bob.address);
		await alice.page.getByLabel('Subject').fill(subject);
		await alice.page.getByLabel('Attach files').setInputFiles(path);
		const upload = await withPeakMemory(pids, async () => {
			const began = performance.now();
			await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
			// The compose form hands over to the outbox once every block is encrypted and queued.
			await alice.page.getByRole('heading', { name: 'Outbox' }).waitFor({ timeout: 30 * 60_000 });
			const queued = performance.now() - began;
			await alice.page
				.locator('li[data-outbox-item][data-state="sent"]')
				.waitFor({ timeout: 30 * 60_000 });
			return { queued, sent: performance.now() - began };
		});

		await bob.page.reload();
		await unlock(bob.page);
		await bob.page.getByRole('link', { name: subject }).click({ timeout: 60_000 });
		const download = await withPeakMemory(pids, async () => {
			const began = performance.now();
			const downloading = bob.page.waitForEvent('download', { timeout: 30 * 60_000 });
			await bob.page.getByRole('button', { name: 'Save', exact: true }).click();
			const saved = await (await downloading).path();
			return { milliseconds: performance.now() - began, saved };
		});
		const intact = (await hashFile(download.result.saved)) === original;

		const label = sizeLabel(size);
		const speed = (name: string, milliseconds: number, note?: string): Figure => ({
			...compared('attachments', name, megabytesPerSecond(size, milliseconds), anchor, (ratio) => ({
				text: `≥ ${SPEED_GOAL * 100}% of AES-GCM`,
				met: ratio >= SPEED_GOAL
			})),
			note
		});
		const memory = (name: string, peakBytes: number): Figure =>
			compared('attachments', name, { value: peakBytes / 1e6, unit: 'MB' }, idle, () => ({
				text: `< ${MEMORY_GOAL_MB} MB`,
				met: peakBytes / 1e6 < MEMORY_GOAL_MB
			}));
		return [
			speed(`upload ${label}: attach → queued (encrypt into the outbox)`, upload.result.queued),
			speed(
				`upload ${label}: attach → sent (encrypt, queue, upload)`,
				upload.result.sent,
				intact ? undefined : 'the saved file did not match the original'
			),
			speed(
				`download ${label}: Save → file on disk (fetch, check, decrypt)`,
				download.result.milliseconds
			),
			memory(`page peak memory, upload ${label}`, upload.peakBytes),
			memory(`page peak memory, download ${label}`, download.peakBytes)
		];
	} finally {
		await browser.close();
		await app.stop();
		rmSync(directory, { recursive: true, force: true });
	}
}
