// The secrets a person carries between devices, and what is derived from them. A recovery
// phrase (13 words from a 1024-word list: 130 bits) and a device code (16 base32 characters:
// 80 bits) are each turned by HKDF-SHA-256 into two independent values: one the relay may see
// (the lookup secret that finds a recovery backup, the id of a transfer) and one it never sees
// (the passphrase that seals the backup). The phrase's entropy, not a slow hash, is what
// protects the backup, so HKDF is enough.
import { ClientError } from './client-error';
import { RECOVERY_WORDS } from './recovery-words';

export const RECOVERY_PHRASE_WORDS = 13;
const DEVICE_CODE_LENGTH = 16;
/** Crockford's base32: no I, L, O or U, so nothing is mistaken for 1, 0 or V when typed. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** What a phrase or code yields: `handle` goes to the relay, `seal` never leaves the device. */
export interface DerivedSecrets {
	handle: string;
	seal: string;
}

function randomIndexes(count: number, below: number): number[] {
	// `below` is a power of two no larger than 2^16, so masking a random uint16 is unbiased.
	return [...crypto.getRandomValues(new Uint16Array(count))].map((value) => value & (below - 1));
}

export function newRecoveryPhrase(): string[] {
	return randomIndexes(RECOVERY_PHRASE_WORDS, RECOVERY_WORDS.length).map(
		(index) => RECOVERY_WORDS[index]!
	);
}

/** The words of a typed phrase, each written out or as its first four letters or more. */
export function readRecoveryPhrase(text: string): string[] {
	const typed = text
		.toLowerCase()
		.split(/[^a-z]+/)
		.filter(Boolean);
	if (typed.length !== RECOVERY_PHRASE_WORDS) {
		throw new ClientError({
			kind: 'phrase-length',
			params: { words: typed.length, expected: RECOVERY_PHRASE_WORDS }
		});
	}
	return typed.map((word, index) => {
		const found =
			RECOVERY_WORDS.find((known) => known === word) ??
			(word.length >= 4 ? RECOVERY_WORDS.find((known) => known.startsWith(word)) : undefined);
		if (!found) {
			throw new ClientError({ kind: 'phrase-word', params: { position: index + 1, word } });
		}
		return found;
	});
}

/** A code for moving to another device, e.g. `7K3M-Q9XA-...`, shown and typed in groups. */
export function newDeviceCode(): string {
	const characters = randomIndexes(DEVICE_CODE_LENGTH, CODE_ALPHABET.length).map(
		(index) => CODE_ALPHABET[index]!
	);
	return characters.join('').replace(/(.{4})(?!$)/g, '$1-');
}

/** A typed or scanned device code in its canonical form; forgives case, spaces and dashes. */
export function readDeviceCode(text: string): string {
	const plain = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
	if (plain.length !== DEVICE_CODE_LENGTH || [...plain].some((c) => !CODE_ALPHABET.includes(c))) {
		throw new ClientError({
			kind: 'device-code-length',
			params: { expected: DEVICE_CODE_LENGTH }
		});
	}
	return plain.replace(/(.{4})(?!$)/g, '$1-');
}

const encoder = new TextEncoder();

async function hkdf(secret: string, salt: string, info: string): Promise<string> {
	const key = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, [
		'deriveBits'
	]);
	const bits = await crypto.subtle.deriveBits(
		{ name: 'HKDF', hash: 'SHA-256', salt: encoder.encode(salt), info: encoder.encode(info) },
		key,
		256
	);
	return base64url(new Uint8Array(bits));
}

function base64url(bytes: Uint8Array): string {
	return btoa(String.fromCharCode(...bytes))
		.replace(/\+/g, '-')
		.replace(/\//g, '_')
		.replace(/=+$/, '');
}

async function derive(secret: string, salt: string): Promise<DerivedSecrets> {
	return {
		handle: await hkdf(secret, salt, 'relay handle'),
		seal: await hkdf(secret, salt, 'backup seal')
	};
}

/** Salted with the address, so one phrase never finds or opens another account's backup. */
export function recoverySecrets(address: string, words: string[]): Promise<DerivedSecrets> {
	return derive(words.join(' '), `letterlock recovery v1 ${address}`);
}

export function deviceCodeSecrets(code: string): Promise<DerivedSecrets> {
	return derive(readDeviceCode(code), 'letterlock device transfer v1');
}
