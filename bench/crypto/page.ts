// The benchmark page's code (bundled by bench/crypto/harness-server.ts, run in Chromium): it
// drives the app's own crypto worker bundle through the app's worker client, and measures
// WebCrypto AES-256-GCM and SHA-256 over the same bytes as anchors.
import type { CryptoApi } from '../../src/lib/crypto/types';
import { startCryptoWorker } from '../../src/lib/crypto/worker-client';

export type Operation = 'encrypt' | 'decrypt' | 'aes-gcm-encrypt' | 'aes-gcm-decrypt' | 'sha-256';

export interface SetupInput {
	workerUrl: string;
	workers: number;
	blockBytes: number;
	lockedPrivateKey: string;
	passphrase: string;
	/** Encrypted to, as the app does: the recipient and the sender's own key. */
	recipientKey: string;
	senderKey: string;
}

export interface Timing {
	milliseconds: number;
	/** Bytes produced, so the driver can check the work was really done. */
	outputBytes: number;
}

let setup: SetupInput;
let engines: CryptoApi[] = [];
let aesKey: CryptoKey;
let input = new Blob();
/** Outputs of the last encryptions, kept as Blobs (as the app would keep or upload them) so the
 * decryptions have real ciphertext to work on without holding it all in the page's heap. */
const outputs: Record<'encrypt' | 'aes-gcm-encrypt', Blob[]> = {
	encrypt: [],
	'aes-gcm-encrypt': []
};

/** AES-GCM must never reuse a nonce under one key: each block's nonce is its index. */
function nonce(index: number): Uint8Array<ArrayBuffer> {
	const iv = new Uint8Array(12);
	new DataView(iv.buffer).setUint32(8, index);
	return iv;
}

async function start(input: SetupInput): Promise<void> {
	setup = input;
	engines = Array.from({ length: input.workers }, () =>
		startCryptoWorker(new Worker(input.workerUrl, { type: 'module' }))
	);
	await Promise.all(engines.map((engine) => engine.unlock(input)));
	aesKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
		'encrypt',
		'decrypt'
	]);
}

/** The bytes to work on, from the benchmark server; a Blob, like a File a person picked. */
async function load(bytes: number): Promise<void> {
	const response = await fetch(`/bench/data?bytes=${bytes}`);
	input = await response.blob();
	if (input.size !== bytes) throw new Error(`Expected ${bytes} bytes, got ${input.size}.`);
	outputs.encrypt = [];
	outputs['aes-gcm-encrypt'] = [];
}

/** The blocks an operation reads: slices of the input, or the ciphertext blocks it made. */
function sources(operation: Operation): Blob[] {
	if (operation === 'decrypt') return outputs.encrypt;
	if (operation === 'aes-gcm-decrypt') return outputs['aes-gcm-encrypt'];
	const blocks = [];
	for (let offset = 0; offset < input.size; offset += setup.blockBytes) {
		blocks.push(input.slice(offset, offset + setup.blockBytes));
	}
	return blocks;
}

/** One block through one engine (or WebCrypto); returns the output bytes. */
async function step(
	operation: Operation,
	bytes: Uint8Array<ArrayBuffer>,
	index: number,
	engine: CryptoApi
): Promise<Uint8Array> {
	const iv = nonce(index);
	switch (operation) {
		case 'encrypt':
			return engine.encryptAndSignBytes({
				data: bytes,
				recipientKeys: [setup.recipientKey]
			});
		case 'decrypt': {
			const opened = await engine.decryptAndVerifyBytes({
				message: bytes,
				senderKeys: [setup.senderKey]
			});
			if (opened.signature.state !== 'valid') throw new Error('A block failed to verify.');
			return opened.data;
		}
		case 'aes-gcm-encrypt':
			return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aesKey, bytes));
		case 'aes-gcm-decrypt':
			return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, aesKey, bytes));
		case 'sha-256':
			return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
	}
}

/** Runs the operation over every block: the app's engines work in parallel, one block each at
 * a time; the WebCrypto anchors run on the page's thread, as a page would call them. */
async function run(operation: Operation): Promise<Timing> {
	const blocks = sources(operation);
	if (blocks.length === 0) throw new Error(`Nothing to ${operation}: run the encryption first.`);
	const parallel = operation === 'encrypt' || operation === 'decrypt' ? engines.length : 1;
	const results: Blob[] = new Array(blocks.length);
	let next = 0;
	let outputBytes = 0;
	const began = performance.now();
	const lane = async (engine: CryptoApi) => {
		while (next < blocks.length) {
			const index = next++;
			const bytes = new Uint8Array(await blocks[index]!.arrayBuffer());
			const output = await step(operation, bytes, index, engine);
			outputBytes += output.byteLength;
			results[index] = new Blob([output as Uint8Array<ArrayBuffer>]);
		}
	};
	await Promise.all(engines.slice(0, parallel).map(lane));
	const milliseconds = performance.now() - began;
	if (operation === 'encrypt' || operation === 'aes-gcm-encrypt') outputs[operation] = results;
	return { milliseconds, outputBytes };
}

const api = { start, load, run };
export type BenchPage = typeof api;
(globalThis as unknown as { letterlockBench: BenchPage }).letterlockBench = api;
