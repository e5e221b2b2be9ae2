// Backups of the identity this browser holds: gathering what goes into one, and putting one
// back on a device that holds nothing yet. The format itself is backup.ts, shared with the CLI.
import type { CryptoApi } from '../crypto/types';
import { sealBackup, type BackupContents, type BackupIdentity } from './backup';
import type { StoredIdentity } from './keystore';
import type { LocalDb } from './local-db';

/** The identity and every contact of this device, sealed with `secret` (see backup.ts). */
export async function sealDeviceBackup(
	crypto: CryptoApi,
	db: LocalDb,
	identity: BackupIdentity,
	secret: string
): Promise<string> {
	return sealBackup(crypto, {
		identity,
		contacts: await db.contacts.getAll(),
		passphrase: secret
	});
}

/** Stores a backup's identity and contacts, trust states included, on this device. */
export async function installBackup(
	db: LocalDb,
	contents: BackupContents,
	relayOrigin: string
): Promise<StoredIdentity> {
	const identity: StoredIdentity = {
		...contents.identity,
		relayOrigin,
		createdAt: new Date().toISOString()
	};
	for (const contact of contents.contacts) await db.contacts.put(contact);
	// The identity last: a device with an identity but half its contacts would pin keys anew.
	await db.identities.put(identity);
	return identity;
}
