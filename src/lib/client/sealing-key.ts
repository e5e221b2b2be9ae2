// The device's sealing secret of one identity: 32 random bytes, signed and encrypted to the
// identity's own OpenPGP key (as drafts are) and kept in the `searchKeys` table. Opening it is
// the one OpenPGP decryption an unlock pays for what is stored sealed on the device; HKDF then
// turns it into one AES-GCM key per use (the search index, the letter summaries), which lives
// only in memory, non-extractable. Format: docs/PROTOCOL.md, "Search index".
import type { CryptoApi } from '../crypto/types';
import type { Table } from './local-db';

/** The sealed secret of one identity. */
export interface SearchKeyRecord {
	address: string;
	/** Armored OpenPGP message (signed and encrypted to the identity's key) of 64 hex digits. */
	sealed: string;
}

export interface SealingIdentity {
	address: string;
	publicKey: string;
}

/** Opens the secret of `identity` (making one the first time); needs the unlocked key. */
export async function openSealingSecret(
	keys: Table<SearchKeyRecord>,
	crypto: CryptoApi,
	identity: SealingIdentity
): Promise<Uint8Array<ArrayBuffer>> {
	const record = await keys.get(identity.address);
	if (record) {
		const opened = await crypto
			.decryptAndVerify({ message: record.sealed, senderKeys: [identity.publicKey] })
			.catch(() => null);
		// Only a secret we signed ourselves: anyone can encrypt to our public key.
		if (opened?.signature.state === 'valid' && /^[0-9a-f]{64}$/.test(opened.text)) {
			return fromHex(opened.text);
		}
	}
	// None yet, or not ours: start anew (what was sealed before then no longer opens and is
	// rebuilt from the mail).
	const secret = globalThis.crypto.getRandomValues(new Uint8Array(32));
	const text = [...secret].map((byte) => byte.toString(16).padStart(2, '0')).join('');
	const sealed = await crypto.encryptAndSign({ text, recipientKeys: [] });
	await keys.put({ address: identity.address, sealed });
	return secret;
}

/** The AES-256-GCM key for one use of the secret, named by `info`. */
export async function sealingKey(
	secret: Uint8Array<ArrayBuffer>,
	info: string
): Promise<CryptoKey> {
	const material = await globalThis.crypto.subtle.importKey('raw', secret, 'HKDF', false, [
		'deriveKey'
	]);
	return globalThis.crypto.subtle.deriveKey(
		{
			name: 'HKDF',
			hash: 'SHA-256',
			salt: new Uint8Array(32),
			info: new TextEncoder().encode(info)
		},
		material,
		{ name: 'AES-GCM', length: 256 },
		false,
		['encrypt', 'decrypt']
	);
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(hex.length / 2);
	for (let at = 0; at < bytes.length; at++) bytes[at] = parseInt(hex.slice(at * 2, at * 2 + 2), 16);
	return bytes;
}
