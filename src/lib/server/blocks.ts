// Attachment blocks: PUT by name (the SHA-256 of the bytes, which the relay checks), GET with
// Range, HEAD to ask whether a block is there. Who may read a block: whoever uploaded it, and the
// owner of any mailbox holding a message that refers to it. A hash alone grants nothing, so a
// block name seen in a log or a URL does not open the block to every account.
import { createHash } from 'node:crypto';
import { BLOCK_HASH, LIMITS } from '$lib/protocol';
import { authenticate } from './auth';
import type { RelayContext } from './context';
import { RelayError, badRequest } from './errors';
import { json } from './http';
import { formatBytes } from './quota';

/** Uploads no message refers to are kept this long, so a slow or paused send can finish. */
export const BLOCK_GRACE_MS = 24 * 60 * 60 * 1000;
/** How often an upload also sweeps expired unreferenced blocks. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

function blockName(text: string | undefined): string {
	if (!text || !BLOCK_HASH.test(text)) {
		throw badRequest('A block is named by the SHA-256 of its bytes in 64 lowercase hex digits.');
	}
	return text;
}

const tooLarge = () =>
	new RelayError(
		413,
		'payload-too-large',
		`A block is at most ${LIMITS.bodyBytes.block} bytes; cut the attachment into 8 MiB blocks.`
	);

/** The body stream failed under us: the HTTP server's own size limit (adapter-node's
 * BODY_SIZE_LIMIT, which errors the stream with a 413) or a client that went away. */
function brokenUpload(error: unknown): RelayError {
	const status = (error as { status?: unknown } | null)?.status;
	if (status === 413) {
		return new RelayError(
			413,
			'payload-too-large',
			'This server admits smaller request bodies than one 8 MiB block; its operator must set BODY_SIZE_LIMIT to 9M or more.'
		);
	}
	return badRequest('The upload of the block broke off before it was complete; send it again.');
}

/** The request body, counted and hashed as it streams past; throws at the end, before the last
 * chunk is handed on, if the bytes are not the ones `hash` names. */
async function* verifiedBody(
	request: Request,
	hash: string,
	seen: { bytes: number }
): AsyncGenerator<Uint8Array> {
	if (!request.body) throw badRequest('Send the block as the request body.');
	const digest = createHash('sha256');
	const reader = request.body.getReader();
	let pending: Uint8Array | undefined;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			seen.bytes += value.byteLength;
			if (seen.bytes > LIMITS.bodyBytes.block) throw tooLarge();
			digest.update(value);
			if (pending) yield pending;
			pending = value;
		}
	} catch (error) {
		await reader.cancel().catch(() => {});
		throw error instanceof RelayError ? error : brokenUpload(error);
	}
	const actual = digest.digest('hex');
	if (actual !== hash) {
		throw new RelayError(
			422,
			'block-hash-mismatch',
			`The bytes sent are not block ${hash} (their SHA-256 is ${actual}); upload the block again.`
		);
	}
	if (pending) yield pending;
}

/** One byte range from a `Range: bytes=…` header; undefined for the whole block. Several ranges
 * or other units are answered with the whole block, as HTTP allows. */
function parseRange(
	header: string | null,
	size: number
): { start: number; end: number } | undefined {
	const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
	if (!match || (match[1] === '' && match[2] === '')) return undefined;
	const [first, last] = [match[1]!, match[2]!];
	const range =
		first === ''
			? { start: Math.max(0, size - Number(last)), end: size - 1 }
			: { start: Number(first), end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
	if (range.start > range.end || range.start >= size) {
		throw new RelayError(
			416,
			'range-not-satisfiable',
			`The block has ${size} bytes; ask for a range inside it.`,
			{ 'content-range': `bytes */${size}` }
		);
	}
	return range;
}

export function blockHandlers(ctx: RelayContext & { blockQuotaBytes: number }) {
	let lastSweep = 0;

	async function sweep(): Promise<void> {
		const now = ctx.now().getTime();
		if (now - lastSweep < SWEEP_EVERY_MS) return;
		lastSweep = now;
		const expired = await ctx.storage.sweepBlocks(new Date(now - BLOCK_GRACE_MS).toISOString());
		for (const hash of expired) await ctx.storage.blockBytes.delete(hash);
		if (expired.length > 0) ctx.logger.info({ blocks: expired.length }, 'expired unsent blocks');
	}

	async function put(request: Request, hashText: string | undefined): Promise<Response> {
		const account = await authenticate(ctx, request.headers.get('authorization'));
		const hash = blockName(hashText);
		const declared = Number(request.headers.get('content-length') ?? LIMITS.bodyBytes.block);
		if (declared > LIMITS.bodyBytes.block) throw tooLarge();
		const existing = await ctx.storage.getBlock(hash);
		const used = await ctx.storage.heldBlockBytes(account);
		if (!existing && used + declared > ctx.blockQuotaBytes) {
			throw new RelayError(
				507,
				'quota-exceeded',
				`Your attachment space on this relay is full (${formatBytes(used)} of ${formatBytes(ctx.blockQuotaBytes)}); send smaller attachments or ask the relay's operator for more room.`
			);
		}
		const seen = { bytes: 0 };
		const body = verifiedBody(request, hash, seen);
		if (existing) {
			// Already stored: the bytes are still checked, so uploading proves one holds the block.
			for await (const chunk of body) void chunk;
		} else {
			await ctx.storage.blockBytes.write(hash, body);
		}
		await ctx.storage.recordBlock(hash, seen.bytes, account, ctx.now().toISOString());
		await sweep();
		return json(existing ? 200 : 201, { hash, size: seen.bytes, stored: !existing });
	}

	async function get(request: Request, hashText: string | undefined): Promise<Response> {
		const account = await authenticate(ctx, request.headers.get('authorization'));
		const hash = blockName(hashText);
		const block = await ctx.storage.getBlock(hash);
		const missing = new RelayError(404, 'not-found', `This relay has no block ${hash} for you.`);
		if (!block || !(await ctx.storage.mayReadBlock(hash, account))) throw missing;
		const range = parseRange(request.headers.get('range'), block.size);
		const { start, end } = range ?? { start: 0, end: block.size - 1 };
		const headers: Record<string, string> = {
			'content-type': 'application/octet-stream',
			'content-length': String(end - start + 1),
			'accept-ranges': 'bytes',
			etag: `"${hash}"`,
			// A block never changes under its name, but it is private to its readers.
			'cache-control': 'private, max-age=31536000, immutable'
		};
		if (range) headers['content-range'] = `bytes ${start}-${end}/${block.size}`;
		const status = range ? 206 : 200;
		// HEAD asks only whether the block is there: no bytes are read for it.
		if (request.method === 'HEAD' || block.size === 0) {
			return new Response(null, { status, headers });
		}
		const stream = await ctx.storage.blockBytes.read(hash, start, end);
		if (!stream) throw missing;
		return new Response(stream, { status, headers });
	}

	return { put, get };
}
