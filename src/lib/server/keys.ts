// Decides whether a public key may stand for an address in this relay's directory.
import * as openpgp from 'openpgp';
import { RelayError } from './errors';

export interface AcceptedKey {
	fingerprint: string;
	/** Re-armored by the relay, so that armor headers (comments) sent by a client are not kept. */
	armored: string;
}

const invalidKey = (message: string) => new RelayError(422, 'invalid-key', message);

function formatDate(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/**
 * Accepts `armored` for `address` only if it is exactly one public key whose self-signatures are
 * valid at `date`, that can encrypt and sign, and that has a valid user ID with that address.
 * Throws a RelayError (422) with a sentence saying what is wrong otherwise.
 */
export async function acceptPublicKey(
	armored: string,
	address: string,
	date: Date
): Promise<AcceptedKey> {
	let keys: openpgp.Key[];
	try {
		keys = await openpgp.readKeys({ armoredKeys: armored });
	} catch {
		throw invalidKey('That public key could not be read; it is not a valid OpenPGP key block.');
	}
	if (keys.length !== 1) {
		throw invalidKey(`That block holds ${keys.length} keys; send exactly one public key.`);
	}
	const key = keys[0]!;
	if (key.isPrivate()) {
		throw invalidKey(
			'That is a private key. Never send a private key anywhere; send only the public key.'
		);
	}

	try {
		await key.verifyPrimaryKey(date);
	} catch {
		if (await key.isRevoked(undefined, undefined, date).catch(() => false)) {
			throw invalidKey('That key has been revoked by its owner; make a new key.');
		}
		const expires = await key.getExpirationTime().catch(() => null);
		if (expires instanceof Date && expires <= date) {
			throw invalidKey(
				`That key expired on ${formatDate(expires)}; extend its expiry or make a new key.`
			);
		}
		throw invalidKey("That key's self-signatures do not verify; it may be damaged or forged.");
	}

	const emails: string[] = [];
	for (const user of key.users) {
		const email = user.userID?.email;
		if (!email) continue;
		const valid = await user.verify(date).then(
			() => true,
			() => false
		);
		if (valid) emails.push(email.toLowerCase());
	}
	if (!emails.includes(address)) {
		throw invalidKey(
			emails.length
				? `That key is for ${emails.join(', ')}, not ${address}; make a key with your address.`
				: `That key has no valid user ID with the address ${address}; make a key with your address.`
		);
	}

	try {
		await key.getEncryptionKey(undefined, date);
		await key.getSigningKey(undefined, date);
	} catch {
		throw invalidKey(
			'That key cannot both encrypt and sign (a usable subkey is missing or expired); make a new key.'
		);
	}

	return { fingerprint: key.getFingerprint().toUpperCase(), armored: key.armor() };
}
