// Attachments as encrypted blocks, the same in the browser and on the command line: a file is
// read as a stream, cut into 8 MiB plaintext blocks, each block encrypted on its own and named by
// the SHA-256 of its ciphertext, and only the blocks in flight are ever in memory. Reading is
// the reverse: each block is checked against its name before it is decrypted, and written out
// in order, so a file of any size needs a few blocks of memory.
import { LetterlockError, type ErrorFacts, type ErrorInit } from '../errors';
import type { CryptoApi } from '../crypto/types';
import { BLOCK_PLAIN_BYTES, fromHex, toHex, type AttachmentManifest } from './attachment-manifest';

export interface AttachmentSource {
	name: string;
	type: string;
	size: number;
	stream(): ReadableStream<Uint8Array>;
}

/** Who encrypts blocks: the crypto worker in the browser, the engine itself on the CLI. */
export type BlockCipher = Pick<CryptoApi, 'encryptAttachmentBlock' | 'decryptAttachmentBlock'>;

/** Where blocks go and come from: the relay, in practice. */
export interface BlockTransport {
	put(hash: string, bytes: Uint8Array): Promise<void>;
	get(hash: string): Promise<Uint8Array>;
}

type AttachmentFacts = Extract<ErrorFacts, { domain: 'attachment' }>;

/** A file that cannot be sent as it was, or a block of one received that cannot be used. */
export class AttachmentError extends LetterlockError<AttachmentFacts> {
	constructor(facts: ErrorInit<'attachment'>, options: { cause?: unknown } = {}) {
		super({ domain: 'attachment', ...facts } as AttachmentFacts, options);
		this.name = 'AttachmentError';
	}
}

/** How many blocks are encrypted or transferred at once: enough to overlap the network with
 * the cipher, few enough that memory stays a few blocks. */
export const BLOCKS_IN_FLIGHT = 3;

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource)));
}

/** The stream regrouped into chunks of exactly `size` bytes (the last may be shorter). */
async function* chunksOf(
	stream: ReadableStream<Uint8Array>,
	size: number
): AsyncGenerator<Uint8Array> {
	const reader = stream.getReader();
	let buffer = new Uint8Array(size);
	let filled = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		let offset = 0;
		while (offset < value.byteLength) {
			const take = Math.min(size - filled, value.byteLength - offset);
			buffer.set(value.subarray(offset, offset + take), filled);
			filled += take;
			offset += take;
			if (filled === size) {
				yield buffer;
				buffer = new Uint8Array(size);
				filled = 0;
			}
		}
	}
	if (filled > 0) yield buffer.subarray(0, filled);
}

/** Runs `work` on each item with at most `limit` running, keeping results in item order. */
async function inOrder<T, R>(
	items: AsyncIterable<T>,
	limit: number,
	work: (item: T, index: number) => Promise<R>
): Promise<R[]> {
	const results: Promise<R>[] = [];
	const running = new Set<Promise<R>>();
	let index = 0;
	for await (const item of items) {
		const task = work(item, index++);
		results.push(task);
		running.add(task);
		// Failures surface through race() or all(); handling both outcomes here also keeps an
		// early failure from counting as unhandled.
		const done = () => running.delete(task);
		void task.then(done, done);
		if (running.size >= limit) await Promise.race(running);
	}
	return Promise.all(results);
}

/** Encrypts and uploads a file's blocks; returns the manifest to put inside the mail. */
export async function sendAttachment(
	file: AttachmentSource,
	transport: Pick<BlockTransport, 'put'>,
	cipher: BlockCipher,
	onBlockSent: (plainBytes: number) => void = () => {}
): Promise<AttachmentManifest> {
	const key = crypto.getRandomValues(new Uint8Array(32));
	let size = 0;
	const blocks = await inOrder(
		chunksOf(file.stream(), BLOCK_PLAIN_BYTES),
		BLOCKS_IN_FLIGHT,
		async (plain) => {
			size += plain.byteLength;
			const block = await cipher.encryptAttachmentBlock({ plain, key });
			const sha256 = await sha256Hex(block);
			await transport.put(sha256, block);
			onBlockSent(plain.byteLength);
			return { sha256, size: block.byteLength };
		}
	);
	if (size !== file.size) {
		throw new AttachmentError({ kind: 'file-changed', params: { name: file.name } });
	}
	return {
		v: 1,
		name: file.name,
		type: file.type || 'application/octet-stream',
		size,
		cipher: 'openpgp-seipd1',
		algorithm: 'aes256',
		key: toHex(key),
		blockSize: BLOCK_PLAIN_BYTES,
		blocks
	};
}

/** One block fetched, checked against its name and decrypted; an error names the block. */
export async function openBlock(
	manifest: AttachmentManifest,
	index: number,
	transport: BlockTransport,
	cipher: BlockCipher
): Promise<Uint8Array> {
	const block = manifest.blocks[index]!;
	const which = { name: manifest.name, block: index + 1, blocks: manifest.blocks.length };
	let bytes: Uint8Array;
	try {
		bytes = await transport.get(block.sha256);
	} catch (error) {
		const reason = error instanceof LetterlockError ? { reason: error.facts } : {};
		throw new AttachmentError(
			{ kind: 'block-unavailable', params: { ...which, ...reason } },
			{ cause: error }
		);
	}
	if ((await sha256Hex(bytes)) !== block.sha256) {
		throw new AttachmentError({ kind: 'block-damaged', params: { ...which, hash: block.sha256 } });
	}
	const key = fromHex(manifest.key);
	const plain = await cipher.decryptAttachmentBlock({ block: bytes, key }).catch((error) => {
		throw new AttachmentError({ kind: 'block-undecryptable', params: which }, { cause: error });
	});
	const last = index === manifest.blocks.length - 1;
	const expected = last ? manifest.size - manifest.blockSize * index : manifest.blockSize;
	if (plain.byteLength !== expected) {
		throw new AttachmentError({ kind: 'block-wrong-length', params: which });
	}
	return plain;
}

/** Fetches, checks and decrypts every block, writing the plaintext in order to `sink`. */
export async function receiveAttachment(
	manifest: AttachmentManifest,
	transport: BlockTransport,
	cipher: BlockCipher,
	sink: WritableStreamDefaultWriter<Uint8Array>
): Promise<void> {
	if (manifest.blocks.length !== Math.ceil(manifest.size / manifest.blockSize)) {
		throw new AttachmentError({ kind: 'inconsistent-manifest', params: { name: manifest.name } });
	}
	async function* indices() {
		for (let index = 0; index < manifest.blocks.length; index++) yield index;
	}
	// Blocks are fetched a few ahead; tasks start in block order, so chaining each write after
	// the previous one writes the file strictly in order.
	let written = Promise.resolve();
	await inOrder(indices(), BLOCKS_IN_FLIGHT, (index) => {
		const opened = openBlock(manifest, index, transport, cipher);
		void opened.catch(() => {});
		written = written.then(async () => sink.write(await opened));
		return written;
	});
}
