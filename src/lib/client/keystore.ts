// Identities kept on this device (IndexedDB). Only the passphrase-locked armored secret key is
// stored: a stolen disk or browser profile yields nothing usable without the passphrase.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { GeneratedIdentity } from '../crypto/types';

export interface StoredIdentity {
	address: string;
	name: string;
	fingerprint: string;
	publicKey: string;
	lockedPrivateKey: string;
	/** The relay this identity is registered with ('' or an origin). */
	relayOrigin: string;
	createdAt: string;
}

interface LetterlockDB extends DBSchema {
	identities: { key: string; value: StoredIdentity };
}

const DB_NAME = 'letterlock';
const DB_VERSION = 1;

let opening: Promise<IDBPDatabase<LetterlockDB>> | null = null;

function db(): Promise<IDBPDatabase<LetterlockDB>> {
	opening ??= openDB<LetterlockDB>(DB_NAME, DB_VERSION, {
		upgrade(database, oldVersion) {
			// Each step upgrades from the version before it, so later stores append here.
			if (oldVersion < 1) database.createObjectStore('identities', { keyPath: 'address' });
		}
	}).catch((error: unknown) => {
		opening = null;
		throw error;
	});
	return opening;
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
	await (await db()).put('identities', identity);
}

export async function get(address: string): Promise<StoredIdentity | undefined> {
	return (await db()).get('identities', address);
}

/** Oldest first, so the first identity made on this device stays the default. */
export async function list(): Promise<StoredIdentity[]> {
	const all = await (await db()).getAll('identities');
	return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function remove(address: string): Promise<void> {
	await (await db()).delete('identities', address);
}
