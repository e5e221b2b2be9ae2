// Proof of work: how fast stamps are searched for in the browser (the app's stamp worker, in
// headless Chromium) and in the CLI (the same code in Node), each against a raw SHA-256 loop in
// the same place, and what that makes of the relay's default difficulty.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { mintStamp } from '../../src/lib/client/stamp-mint';
import { DEFAULT_POW_BITS } from '../../src/lib/server/config';
import { launchChromium } from '../lib/chromium';
import { compared, type Figure, type Measure } from '../lib/figures';

const PORT = 4315;
const SECONDS = Number(process.env.BENCH_POW_SECONDS ?? 4);

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Letterlock proof-of-work benchmark</title>
<script type="module" src="/bench/page.js"></script>
`;

async function bundle(entry: string): Promise<string> {
	const result = await build({
		entryPoints: [entry],
		bundle: true,
		format: 'esm',
		target: 'es2022',
		write: false
	});
	return result.outputFiles[0]!.text;
}

const perSecond = (value: number): Measure => ({ value, unit: 'hashes/s' });

/** The CLI's search (WebCrypto in Node) until stopped, in hashes per second. */
async function nodeMintRate(milliseconds: number): Promise<number> {
	const stop = new AbortController();
	let tried = 0;
	const started = performance.now();
	setTimeout(() => stop.abort(), milliseconds);
	const fields = {
		bits: 64,
		day: '20261122',
		sender: 'alice@bench.invalid',
		recipient: 'bob@bench.invalid',
		messageHash: '0'.repeat(64)
	};
	await mintStamp(fields, { signal: stop.signal, onTried: (count) => (tried = count) }).catch(
		() => undefined
	);
	return tried / ((performance.now() - started) / 1000);
}

/** node:crypto SHA-256 in a plain loop: the ceiling of one Node thread. */
function nodeHashRate(milliseconds: number): number {
	const prefix = `1:64:20261122:alice@bench.invalid:bob@bench.invalid:${'0'.repeat(64)}:AAAAAAAA`;
	const started = performance.now();
	let hashed = 0;
	while (performance.now() - started < milliseconds) {
		for (let index = 0; index < 1000; index++) {
			createHash('sha256')
				.update(prefix + (hashed + index).toString(36))
				.digest();
		}
		hashed += 1000;
	}
	return hashed / ((performance.now() - started) / 1000);
}

export async function runPowBench(): Promise<Figure[]> {
	const page = await bundle(join(import.meta.dirname, 'page.ts'));
	const worker = await bundle(join(import.meta.dirname, '../../src/lib/client/stamp-worker.ts'));
	const server = createServer((request, response) => {
		const files: Record<string, [string, string]> = {
			'/': ['text/html; charset=utf-8', PAGE],
			'/bench/page.js': ['text/javascript', page],
			'/bench/stamp-worker.js': ['text/javascript', worker]
		};
		const file = files[new URL(request.url ?? '/', 'http://localhost').pathname];
		if (!file) response.writeHead(404).end('Not part of the benchmark page.');
		else response.writeHead(200, { 'content-type': file[0] }).end(file[1]);
	});
	await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve));
	const browser = await launchChromium();
	try {
		const tab = await browser.newPage();
		await tab.goto(`http://127.0.0.1:${PORT}/`);
		await tab.waitForFunction(() => 'letterlockPowBench' in globalThis);
		type Bench = {
			workerRate(ms: number): Promise<number>;
			webCryptoRate(ms: number): Promise<number>;
		};
		const call = (name: keyof Bench) =>
			tab.evaluate(
				([method, ms]) =>
					(globalThis as unknown as { letterlockPowBench: Bench }).letterlockPowBench[method](ms),
				[name, SECONDS * 1000] as const
			);
		const inWorker = perSecond(await call('workerRate'));
		const webCrypto = perSecond(await call('webCryptoRate'));
		const inNode = perSecond(await nodeMintRate(SECONDS * 1000));
		const nodeHash = perSecond(nodeHashRate(SECONDS * 1000));
		const expected = 2 ** DEFAULT_POW_BITS;
		return [
			compared('pow', 'stamp search, browser worker', inWorker, {
				...webCrypto,
				name: 'WebCrypto SHA-256 in the page'
			}),
			compared('pow', 'stamp search, CLI (Node WebCrypto)', inNode, {
				...nodeHash,
				name: 'node:crypto SHA-256 loop'
			}),
			{
				bench: 'pow',
				name: `average ${DEFAULT_POW_BITS}-bit stamp, browser worker`,
				value: { value: expected / inWorker.value, unit: 's' },
				note: `2^${DEFAULT_POW_BITS} hashes on average; luck makes any one stamp faster or slower`
			}
		];
	} finally {
		await browser.close();
		await new Promise((resolve) => server.close(resolve));
	}
}
