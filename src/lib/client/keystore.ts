// Identities kept on this device (IndexedDB). Only the passphrase-locked armored secret key is
// stored: a stolen disk or browser profile yields nothing usable without the passphrase.
import type { GeneratedIdentity } from '../crypto/types';
import { localDb } from './local-db';

export interface StoredIdentity {
	address: string;
	name: string;
	fingerprint: string;
	publicKey: string;
	lockedPrivateKey: string;
	/** Keys this identity rotated away from, newest first, locked with the same passphrase: kept
	 * only to read mail that was encrypted to them. */
	previousLockedKeys?: string[];
	/** The relay this identity is registered with ('' or an origin). */
	relayOrigin: string;
	createdAt: string;
}

/** What we keep of a freshly made identity: everything but the unlocked key. */
export function identityRecord(generated: GeneratedIdentity, relayOrigin: string): StoredIdentity {
	return {
		address: generated.address,
		name: generated.name,
		fingerprint: generated.fingerprint,
		publicKey: generated.publicKey,
		lockedPrivateKey: generated.lockedPrivateKey,
		relayOrigin,
		createdAt: new Date().toISOString()
	};
}

export async function save(identity: StoredIdentity): Promise<void> {
	await (await localDb()).identities.put(identity);
}

export async function get(address: string): Promise<StoredIdentity | undefined> {
	return (await localDb()).identities.get(address);
}

/** Oldest first, so the first identity made on this device stays the default. */
export async function list(): Promise<StoredIdentity[]> {
	const all = await (await localDb()).identities.getAll();
	return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function remove(address: string): Promise<void> {
	await (await localDb()).identities.delete(address);
}
