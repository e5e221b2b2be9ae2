// How far OpenPGP data from someone else may unpack. OpenPGP messages may hold compressed
// packets, and OpenPGP.js unpacks them without any bound unless told otherwise (its
// `maxDecompressedMessageSize` defaults to Infinity): a 345 KiB letter of compressed zeros made
// `letterlock read` use 2.8 GB. Every place that reads, decrypts or parses OpenPGP data, in the
// clients and on the relay, takes its bound from here.
import { LIMITS } from './api';

export const DECOMPRESSED_BYTES = {
	/** A letter, a forwarded original, a state entry, a backup, an imported message. Letterlock
	 * never compresses, but other programs do (GnuPG by default), and mail text seldom shrinks
	 * more than fourfold: four times the largest armored message the relay accepts. */
	message: 4 * LIMITS.messageChars,
	/** One attachment block: its plaintext is at most 8 MiB, and the relay's block limit is that
	 * plus room for the packet framing, so nothing honest unpacks to more. */
	block: LIMITS.bodyBytes.block,
	/** The relay only checks that a message is ciphertext; a compressed packet outside the
	 * encryption never is, so the relay unpacks nothing at all. Keys and signatures cannot hold
	 * compressed packets (OpenPGP.js refuses such a key or signature without unpacking it). */
	relay: 0
} as const;

/** OpenPGP.js's sentence when a bound above stops it (zlib and zip, or bzip2). */
export function isDecompressionBomb(error: unknown): boolean {
	return (
		error instanceof Error && /Maximum decompressed (message )?size exceeded/.test(error.message)
	);
}
