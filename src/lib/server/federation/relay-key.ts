// The relay's signing key: Ed25519 through node:crypto. Relays sign deliveries and acceptances,
// not people's mail, so they need no OpenPGP: a 32-byte key and a 64-byte signature over the exact
// bytes sent are simpler to publish, check and reimplement than OpenPGP packets. The key lives in
// the database (the SQLite file in the data folder, or PostgreSQL), so processes sharing a
// database share one key.
import {
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	sign,
	verify,
	type KeyObject
} from 'node:crypto';
import type { Storage } from '../storage/types';

/** What each kind of signature covers, before the bytes: a delivery's signature can never be
 * passed off as an acceptance's or the other way round. */
export type SignatureContext = 'letterlock-delivery-v1' | 'letterlock-acceptance-v1';

export interface RelayKey {
	/** The raw 32-byte public key in base64url, as published. */
	publicKey: string;
	sign(context: SignatureContext, bytes: Uint8Array | string): string;
}

const signed = (context: SignatureContext, bytes: Uint8Array | string): Buffer =>
	Buffer.concat([Buffer.from(`${context}\n`), Buffer.from(bytes)]);

/** The relay's key from storage, made and stored on first use. */
export async function loadRelayKey(storage: Storage, now: Date): Promise<RelayKey> {
	const pair = generateKeyPairSync('ed25519');
	const record = await storage.relayKey({
		privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
		publicKey: rawPublicKey(pair.publicKey),
		createdAt: now.toISOString()
	});
	const privateKey = createPrivateKey({
		key: Buffer.from(record.privateKey, 'base64url'),
		format: 'der',
		type: 'pkcs8'
	});
	return {
		publicKey: record.publicKey,
		sign: (context, bytes) => sign(null, signed(context, bytes), privateKey).toString('base64url')
	};
}

function rawPublicKey(key: KeyObject): string {
	// The JWK form of an Ed25519 key carries exactly the 32 raw bytes, base64url-encoded.
	return key.export({ format: 'jwk' }).x!;
}

/** Whether `signature` (base64url) is `publicKey`'s over `context` and `bytes`. */
export function verifySignature(
	publicKey: string,
	context: SignatureContext,
	bytes: Uint8Array | string,
	signature: string
): boolean {
	try {
		const key = createPublicKey({
			key: { kty: 'OKP', crv: 'Ed25519', x: publicKey },
			format: 'jwk'
		});
		return verify(null, signed(context, bytes), key, Buffer.from(signature, 'base64url'));
	} catch {
		return false;
	}
}
