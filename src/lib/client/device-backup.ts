// Putting a backup back on a browser that holds nothing yet. The format itself is backup.ts,
// shared with the CLI.
import type { BackupContents } from './backup';
import type { StoredIdentity } from './keystore';
import type { LocalDb } from './local-db';

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
