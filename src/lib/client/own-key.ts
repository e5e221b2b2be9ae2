// Our own key over its life: extended before it expires, replaced by a successor it certifies,
// or revoked. Each step makes the new key in the crypto engine, publishes it through the relay's
// directory (the relay checks it), and only then keeps it on this device.
import type { CryptoApi, KeyUpdate } from '../crypto/types';
import type { StoredIdentity } from './keystore';

/** Sends our new public key to the directory; the caller signs in as needed. */
export type Publish = (publicKey: string) => Promise<unknown>;

/** A month ahead: time enough to extend even for someone who opens their mail rarely. */
export const EXPIRY_WARNING_DAYS = 30;

export function expiresSoon(expiresAt: string | null, now = new Date()): boolean {
	if (!expiresAt) return false;
	return new Date(expiresAt).getTime() - now.getTime() < EXPIRY_WARNING_DAYS * 86_400_000;
}

async function publishUpdate(
	identity: StoredIdentity,
	update: KeyUpdate,
	publish: Publish
): Promise<StoredIdentity> {
	await publish(update.publicKey);
	return { ...identity, publicKey: update.publicKey, lockedPrivateKey: update.lockedPrivateKey };
}

export async function extend(crypto: CryptoApi, identity: StoredIdentity, publish: Publish) {
	const update = await crypto.extendKey({ lockedPrivateKey: identity.lockedPrivateKey });
	return publishUpdate(identity, update, publish);
}

export async function revoke(crypto: CryptoApi, identity: StoredIdentity, publish: Publish) {
	const update = await crypto.revokeKey({ lockedPrivateKey: identity.lockedPrivateKey });
	return publishUpdate(identity, update, publish);
}

/** The old locked key is kept (same passphrase) so mail already sent to it stays readable. */
export async function rotate(
	crypto: CryptoApi,
	identity: StoredIdentity,
	passphrase: string,
	publish: Publish
): Promise<StoredIdentity> {
	const next = await crypto.rotateKey({ lockedPrivateKey: identity.lockedPrivateKey, passphrase });
	await publish(next.publicKey);
	return {
		...identity,
		fingerprint: next.fingerprint,
		publicKey: next.publicKey,
		lockedPrivateKey: next.lockedPrivateKey,
		previousLockedKeys: [identity.lockedPrivateKey, ...(identity.previousLockedKeys ?? [])]
	};
}
