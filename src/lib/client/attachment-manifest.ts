// What a reader needs to fetch, check and decrypt one attachment, carried as a JSON part inside
// the signed, encrypted mail: the relay never sees it. Block names are SHA-256 hashes of the
// ciphertext, listed in order, so the signature over the mail covers every byte of the file.
import * as v from 'valibot';
import { BLOCK_HASH } from '../protocol/api';

/** The media type of a manifest part inside a mail's MIME. */
export const MANIFEST_TYPE = 'application/vnd.letterlock.attachment+json';
/** Plaintext bytes per block; each is encrypted on its own. */
export const BLOCK_PLAIN_BYTES = 8 * 1024 * 1024;

const Hex = (bytes: number) => v.pipe(v.string(), v.regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`)));
const Size = v.pipe(v.number(), v.integer(), v.minValue(0));

export const AttachmentManifest = v.object({
	v: v.literal(1),
	name: v.pipe(v.string(), v.maxLength(1024)),
	type: v.pipe(v.string(), v.maxLength(255)),
	/** Plaintext bytes. */
	size: Size,
	/** Each block is an OpenPGP SEIPD v1 packet under this session key (see docs/PROTOCOL.md). */
	cipher: v.literal('openpgp-seipd1'),
	algorithm: v.literal('aes256'),
	key: Hex(32),
	/** Plaintext bytes per block; the last block may be shorter. */
	blockSize: v.pipe(Size, v.minValue(1)),
	blocks: v.array(v.object({ sha256: v.pipe(v.string(), v.regex(BLOCK_HASH)), size: Size }))
});
export type AttachmentManifest = v.InferOutput<typeof AttachmentManifest>;

/** The manifest of a part, or undefined when it is not one this version understands. */
export function readManifest(text: string): AttachmentManifest | undefined {
	try {
		const parsed = v.safeParse(AttachmentManifest, JSON.parse(text));
		return parsed.success ? parsed.output : undefined;
	} catch {
		return undefined;
	}
}

export const toHex = (bytes: Uint8Array) =>
	Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

export const fromHex = (hex: string) =>
	Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
