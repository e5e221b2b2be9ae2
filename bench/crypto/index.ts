// Crypto in the browser: the app's crypto worker (built bundle, driven through its page client) in
// headless Chromium, against WebCrypto AES-256-GCM and SHA-256 in the same page and GnuPG on
// the same bytes. Large inputs go through in 8 MiB blocks, one per worker at a time.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { cryptoWorkerPath } from '../lib/build-output';
import { launchChromium } from '../lib/chromium';
import {
	MIB,
	megabytesPerSecond,
	compared,
	sizeLabel,
	type Figure,
	type Goal,
	type Measure
} from '../lib/figures';
import { rendererBytes, rendererPids, withPeakMemory } from '../lib/renderer-memory';
import { GpgAnchor, type GpgTimings } from './gpg-anchor';
import { startHarness } from './harness-server';
import type { BenchPage, Operation, SetupInput } from './page';

const PORT = 4313;
const BLOCK_BYTES = 8 * MIB;
const PASSPHRASE = 'bench passphrase for a throwaway key';
const MEMORY_GOAL_MB = 300;
const SPEED_GOAL = 0.5;

function settings() {
	const sizes = (process.env.BENCH_CRYPTO_SIZES_MIB ?? '1,8,256')
		.split(',')
		.map((size) => Math.round(Number(size) * MIB));
	if (sizes.some((size) => !(size > 0))) {
		throw new Error('BENCH_CRYPTO_SIZES_MIB must be a comma-separated list of sizes in MiB.');
	}
	const workers = Number(process.env.BENCH_CRYPTO_WORKERS ?? cpus().length);
	return { sizes, workers: Math.max(1, Math.floor(workers) || 1) };
}

/** Small sizes are noisy: take the median of a few runs, up to ~32 MiB of work per figure. */
function repeatsFor(bytes: number): number {
	return Math.min(5, Math.max(1, Math.round((32 * MIB) / bytes)));
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

/** The page's API, called across the DevTools protocol. */
function benchPage(page: Page): BenchPage {
	type Window = { letterlockBench: BenchPage };
	return {
		start: (input) =>
			page.evaluate(
				(value) => (globalThis as unknown as Window).letterlockBench.start(value),
				input
			),
		load: (bytes) =>
			page.evaluate(
				(value) => (globalThis as unknown as Window).letterlockBench.load(value),
				bytes
			),
		run: (operation) =>
			page.evaluate(
				(value) => (globalThis as unknown as Window).letterlockBench.run(value),
				operation
			)
	};
}

async function makeIdentities(): Promise<Omit<SetupInput, 'workerUrl' | 'workers' | 'blockBytes'>> {
	const engine = new CryptoEngine();
	const sender = await engine.generateIdentity({
		name: 'Sender',
		address: 'sender@bench.invalid',
		passphrase: PASSPHRASE
	});
	const recipient = await engine.generateIdentity({
		name: 'Recipient',
		address: 'recipient@bench.invalid',
		passphrase: PASSPHRASE
	});
	return {
		lockedPrivateKey: sender.lockedPrivateKey,
		passphrase: PASSPHRASE,
		recipientKey: recipient.publicKey,
		senderKey: sender.publicKey
	};
}

/** Random (incompressible) bytes, one file per size, each a prefix of the largest. */
function writeData(directory: string, sizes: number[]): Map<number, string> {
	const largest = Math.max(...sizes);
	const full = join(directory, `data-${largest}`);
	writeFileSync(full, '');
	for (let written = 0; written < largest; written += BLOCK_BYTES) {
		writeFileSync(full, randomBytes(Math.min(BLOCK_BYTES, largest - written)), { flag: 'a' });
	}
	return new Map(
		sizes.map((size) => {
			const path = join(directory, `data-${size}`);
			if (path !== full) {
				copyFileSync(full, path);
				truncateSync(path, size);
			}
			return [size, path];
		})
	);
}

export async function runCryptoBench(): Promise<Figure[]> {
	const { sizes, workers } = settings();
	const directory = mkdtempSync(join(tmpdir(), 'letterlock-bench-crypto-'));
	const files = writeData(directory, sizes);
	const harness = await startHarness(PORT, files.get(Math.max(...sizes))!);
	const browser = await launchChromium();
	const gpg = await GpgAnchor.create();
	const figures: Figure[] = [];
	try {
		const page = await browser.newPage();
		await page.goto(harness.origin);
		await page.waitForFunction(() => 'letterlockBench' in globalThis);
		const bench = benchPage(page);
		await bench.start({
			workerUrl: cryptoWorkerPath(),
			workers,
			blockBytes: BLOCK_BYTES,
			...(await makeIdentities())
		});
		const pids = await rendererPids(browser);
		const idle: Measure = { value: rendererBytes(pids) / 1e6, unit: 'MB' };

		for (const size of sizes) {
			await bench.load(size);
			const timed = async (operation: Operation) => {
				const runs = [];
				for (let run = 0; run < repeatsFor(size); run++) {
					runs.push((await bench.run(operation)).milliseconds);
				}
				return megabytesPerSecond(size, median(runs));
			};
			const ours = await withPeakMemory(pids, async () => ({
				encrypt: await timed('encrypt'),
				decrypt: await timed('decrypt')
			}));
			const { encrypt, decrypt } = ours.result;
			const peak: Measure = { value: ours.peakBytes / 1e6, unit: 'MB' };
			const aesEncrypt = await timed('aes-gcm-encrypt');
			const aesDecrypt = await timed('aes-gcm-decrypt');
			const sha256 = await timed('sha-256');
			const gpgDefault = await gpg.time(files.get(size)!, 'default');
			const gpgStored = await gpg.time(files.get(size)!, '-z0');

			const label = sizeLabel(size);
			const how =
				size > BLOCK_BYTES
					? `${sizeLabel(BLOCK_BYTES)} blocks, ${workers} workers`
					: `one message, one worker`;
			const against = (
				name: string,
				value: Measure,
				anchorName: string,
				anchor: Measure,
				goal?: (ratio: number) => Goal
			) => compared('crypto', name, value, { ...anchor, name: anchorName }, goal);
			const againstGpg = (name: string, value: Measure, step: keyof GpgTimings) => [
				against(`${name} vs gpg`, value, 'gpg', megabytesPerSecond(size, gpgDefault[step])),
				against(`${name} vs gpg -z0`, value, 'gpg -z0', megabytesPerSecond(size, gpgStored[step]))
			];
			// The goal is about large data: more than one block, where the parallel design applies.
			const speedGoal =
				size > BLOCK_BYTES
					? (ratio: number) => ({
							text: `≥ ${SPEED_GOAL * 100}% of AES-GCM`,
							met: ratio >= SPEED_GOAL
						})
					: undefined;
			figures.push(
				against(`encrypt+sign ${label} (${how})`, encrypt, 'AES-GCM', aesEncrypt, speedGoal),
				...againstGpg(`encrypt+sign ${label}`, encrypt, 'encrypt'),
				against(`decrypt+verify ${label}`, decrypt, 'AES-GCM', aesDecrypt),
				...againstGpg(`decrypt+verify ${label}`, decrypt, 'decrypt'),
				{ bench: 'crypto', name: `SHA-256 ${label} (WebCrypto, per block)`, value: sha256 },
				against(`page peak memory, ${label}`, peak, 'idle page', idle, () => ({
					text: `< ${MEMORY_GOAL_MB} MB`,
					met: peak.value < MEMORY_GOAL_MB
				}))
			);
		}
	} finally {
		await browser.close();
		await harness.close();
		await gpg.dispose();
		rmSync(directory, { recursive: true, force: true });
	}
	return figures;
}
