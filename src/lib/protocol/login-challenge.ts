// The login challenge and the mark on its signature, shared by relay (which issues and checks
// them) and clients (which refuse to sign anything else). Two layers keep a login signature from
// ever standing for a letter, a forwarded original or a state entry (docs/DESIGN-DECISIONS.md):
// the client signs only text of exactly this shape, naming the relay it talks to and its own
// address; and the signature carries the critical notation LOGIN_NOTATION, which the relay
// requires and every client-side check of mail refuses.

/** The first line, with the format's version: an older relay's challenge lacks it. */
export const LOGIN_CHALLENGE_PREFIX = 'Letterlock login challenge v2';

/** How long a challenge may be signed for; a client refuses one that claims longer. */
export const LOGIN_CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

/**
 * The signature notation a login signature carries, marked critical: the relay knows it, while
 * GnuPG and OpenPGP.js (without `knownNotations`) reject the signature as carrying an unknown
 * critical notation, and Letterlock's own mail checks refuse it by name.
 */
export const LOGIN_NOTATION = 'login@letterlock.org';

/** The notation as OpenPGP.js's `signatureNotations` takes it, with a value for a person who
 * inspects such a signature with other tools. */
export function loginNotation() {
	return {
		name: LOGIN_NOTATION,
		value: new TextEncoder().encode('Signs in to a Letterlock relay; never a letter.'),
		humanReadable: true,
		critical: true
	};
}

export interface LoginChallenge {
	/** The relay's origin, e.g. `https://mail.example.org`. */
	relay: string;
	address: string;
	/** base64url of 32 random bytes. */
	nonce: string;
	issuedAt: string;
	expiresAt: string;
}

export function formatLoginChallenge(challenge: LoginChallenge): string {
	return [
		LOGIN_CHALLENGE_PREFIX,
		`relay: ${challenge.relay}`,
		`address: ${challenge.address}`,
		`nonce: ${challenge.nonce}`,
		`issued: ${challenge.issuedAt}`,
		`expires: ${challenge.expiresAt}`
	].join('\n');
}

const ISO_DATE = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;
const SHAPE = new RegExp(
	[
		`^${LOGIN_CHALLENGE_PREFIX.replace(/\./g, '\\.')}`,
		'relay: (https?://[A-Za-z0-9.:[\\]-]+)',
		// The characters of addresses (address.ts), so nothing else reaches an error sentence.
		'address: ([a-z0-9._+-]+@[a-z0-9.-]+)',
		'nonce: ([A-Za-z0-9_-]{43})',
		`issued: (${ISO_DATE})`,
		`expires: (${ISO_DATE})$`
	].join('\\n')
);

/** The parts of `text` if it is exactly a challenge in this format (nothing before, between or
 * after the lines), otherwise undefined. Says nothing about whether it is fresh or for whom. */
export function parseLoginChallenge(text: string): LoginChallenge | undefined {
	const match = SHAPE.exec(text);
	if (!match) return undefined;
	const [, relay, address, nonce, issuedAt, expiresAt] = match;
	return {
		relay: relay!,
		address: address!,
		nonce: nonce!,
		issuedAt: issuedAt!,
		expiresAt: expiresAt!
	};
}
