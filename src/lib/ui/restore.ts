// The last step of every way back in (a backup file, a recovery phrase, another device): the
// identity and contacts go onto this device, then the key is unlocked and signed in as usual.
import type { BackupContents } from '$lib/client/backup';
import { installBackupHere } from '$lib/client/device-store';
import { session } from './app-session';

export async function adoptBackup(contents: BackupContents, passphrase: string): Promise<void> {
	// The passphrase is checked before anything is stored, so a typo leaves the device empty.
	await session.crypto.unlock({ lockedPrivateKey: contents.identity.lockedPrivateKey, passphrase });
	session.identity = await installBackupHere(contents, location.origin);
	await session.unlock(passphrase);
}
