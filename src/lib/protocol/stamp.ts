// Proof-of-work stamps (hashcash over SHA-256): what a sender attaches for a recipient who does
// not know them yet. Shared by the relay, which verifies a stamp with one hash, and the clients,
// which search for one. docs/PROTOCOL.md, "Proof of work", describes the same format.

export const STAMP_VERSION = 1;

/** A stamp's fields; the stamp text is them joined by ":", then the nonce. */
export interface StampFields {
	bits: number;
	/** The UTC day the stamp was made, `YYYYMMDD`. */
	day: string;
	sender: string;
	recipient: string;
	/** SHA-256 of the armored ciphertext, 64 lowercase hex digits. */
	messageHash: string;
}

export interface Stamp extends StampFields {
	nonce: string;
}

/** Bits a relay may ask for: beyond this, a stamp would take a browser hours. */
export const MAX_STAMP_BITS = 32;
/** A stamp is accepted on its day and the days either side (clock skew, a slow search). */
export const STAMP_DAYS_ACCEPTED = 1;

const STAMP =
	/^1:(\d{1,2}):(\d{8}):([^:\s]{3,254}):([^:\s]{3,254}):([0-9a-f]{64}):([A-Za-z0-9_-]{1,64})$/;

export function utcDay(date: Date): string {
	return date.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Everything before the nonce; the searcher appends nonces to it. */
export function stampPrefix(fields: StampFields): string {
	const { bits, day, sender, recipient, messageHash } = fields;
	return `${STAMP_VERSION}:${bits}:${day}:${sender}:${recipient}:${messageHash}:`;
}

export function parseStamp(text: string): Stamp | undefined {
	const match = STAMP.exec(text);
	if (!match) return undefined;
	const [, bits, day, sender, recipient, messageHash, nonce] = match;
	return {
		bits: Number(bits),
		day: day!,
		sender: sender!,
		recipient: recipient!,
		messageHash: messageHash!,
		nonce: nonce!
	};
}

/** How many leading bits of `digest` are zero: the work a stamp shows. */
export function leadingZeroBits(digest: Uint8Array): number {
	let bits = 0;
	for (const byte of digest) {
		if (byte === 0) {
			bits += 8;
			continue;
		}
		return bits + Math.clz32(byte) - 24;
	}
	return bits;
}

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
	return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** What the relay keeps of a contact on `owner`'s allow-list: the address hashed with the owner's
 * address as salt, so the list is no plain address book and no table serves every owner. */
export function allowListHash(owner: string, contact: string): Promise<string> {
	return sha256Hex(`letterlock-allow-list:${owner}:${contact}`);
}
