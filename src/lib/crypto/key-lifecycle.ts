// A key's life after it is made: its expiry extended, a successor certified by it, its
// revocation. Every result is a new armored key; the caller publishes the public part and keeps
// the (still passphrase-locked) private part. Used only by the engine, which holds the key.
import * as openpgp from 'openpgp';
import type { KeyUpdate } from './types';

/** New keys and extensions last this long: short enough that a forgotten key dies on its own,
 * long enough that nobody is asked often. */
export const KEY_LIFETIME_YEARS = 2;

const SECONDS_PER_YEAR = 365.25 * 24 * 60 * 60;

export const lifetimeSeconds = (years = KEY_LIFETIME_YEARS) => Math.round(years * SECONDS_PER_YEAR);

/** Merges the signatures of `updated` into the locked key, so nothing is decrypted on disk. */
async function relock(locked: openpgp.PrivateKey, updated: openpgp.PublicKey): Promise<KeyUpdate> {
	const merged = await locked.update(updated);
	return { publicKey: merged.toPublic().armor(), lockedPrivateKey: merged.armor() };
}

/**
 * New self-signatures that make the key valid until `years` from `now`. The key material and
 * its creation time stay, so the fingerprint stays: contacts see the same key, still pinned.
 */
export async function extendExpiry(
	unlocked: openpgp.PrivateKey,
	locked: openpgp.PrivateKey,
	now = new Date(),
	years = KEY_LIFETIME_YEARS
): Promise<KeyUpdate> {
	// OpenPGP counts a key's expiry in seconds from the key's creation, not from the signature.
	const age = Math.floor((now.getTime() - unlocked.getCreationTime().getTime()) / 1000);
	const userIDs = unlocked.users
		.map((user) => user.userID)
		.filter((id) => id !== null)
		.map((id) => ({ name: id.name, email: id.email }));
	const { publicKey } = await openpgp.reformatKey({
		privateKey: unlocked,
		userIDs,
		keyExpirationTime: age + lifetimeSeconds(years),
		date: now,
		format: 'object'
	});
	return relock(locked, publicKey);
}

/** The key with a revocation signature: once published, nobody can encrypt to it any more. */
export async function revoke(
	unlocked: openpgp.PrivateKey,
	locked: openpgp.PrivateKey
): Promise<KeyUpdate> {
	const { publicKey } = await openpgp.revokeKey({
		key: unlocked,
		reasonForRevocation: {
			flag: openpgp.enums.reasonForRevocation.keySuperseded,
			string: 'Revoked by its owner in Letterlock.'
		},
		format: 'object'
	});
	return relock(locked, publicKey);
}

/** `successor` with a certification of its primary user ID by `predecessor`: the old key's
 * statement that the new key belongs to the same person. */
export async function certifySuccessor(
	successor: openpgp.PrivateKey,
	predecessor: openpgp.PrivateKey
): Promise<openpgp.PrivateKey> {
	return successor.signPrimaryUser([predecessor]);
}
