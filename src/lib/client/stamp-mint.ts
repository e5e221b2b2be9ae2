// The search for a proof-of-work stamp: append nonces to the stamp's prefix until the SHA-256 of
// the text starts with enough zero bits. WebCrypto only (no WebAssembly, which Tor Browser at
// "Safer" lacks), so the same code runs in a browser worker and in Node for the CLI.
import { leadingZeroBits, stampPrefix, type StampFields } from '../protocol/stamp';

/** Digests in flight at once: enough to hide WebCrypto's per-call cost, few enough to stop
 * promptly when cancelled. */
const BATCH = 512;

const encoder = new TextEncoder();

export interface MintOptions {
	/** Called after each batch with the number of hashes tried so far. */
	onTried?: (tried: number) => void;
	signal?: AbortSignal;
}

/** Hashes a search for `bits` zero bits tries on average. */
export const expectedTries = (bits: number) => 2 ** bits;

function randomNoncePrefix(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(6));
	return btoa(String.fromCharCode(...bytes))
		.replaceAll('+', '-')
		.replaceAll('/', '_');
}

export async function mintStamp(fields: StampFields, options: MintOptions = {}): Promise<string> {
	const prefix = stampPrefix(fields) + randomNoncePrefix();
	for (let counter = 0; ; counter += BATCH) {
		options.signal?.throwIfAborted();
		const candidates = Array.from(
			{ length: BATCH },
			(_, index) => prefix + (counter + index).toString(36)
		);
		const digests = await Promise.all(
			candidates.map((text) => crypto.subtle.digest('SHA-256', encoder.encode(text)))
		);
		const found = digests.findIndex(
			(digest) => leadingZeroBits(new Uint8Array(digest)) >= fields.bits
		);
		if (found >= 0) return candidates[found]!;
		options.onTried?.(counter + BATCH);
	}
}
