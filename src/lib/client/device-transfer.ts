// Moving an identity to another device through the relay: the first device seals the backup
// (backup.ts; the key inside stays locked with the passphrase) with a secret derived from a
// fresh device code and leaves it in a transfer slot named by another value derived from the
// code. The code travels from screen to screen (a QR code or typed), in a link's fragment,
// which browsers never send to a server. The slot answers once and expires within minutes.
import type { CryptoApi } from '../crypto/types';
import { openBackup, sealBackup, type BackupContents, type BackupIdentity } from './backup';
import type { RelayClient } from './relay-client';
import { deviceCodeSecrets, newDeviceCode } from './secret-codes';
import type { ContactRecord } from './trust';

export interface OfferedTransfer {
	code: string;
	/** The relay's name for the slot, to ask whether it was fetched or to cancel it. */
	id: string;
	expiresAt: string;
}

export async function offerTransfer(
	crypto: CryptoApi,
	relay: RelayClient,
	input: { identity: BackupIdentity; contacts: ContactRecord[] }
): Promise<OfferedTransfer> {
	const code = newDeviceCode();
	const secrets = await deviceCodeSecrets(code);
	const backup = await sealBackup(crypto, { ...input, passphrase: secrets.seal });
	const { expiresAt } = await relay.putTransfer(secrets.handle, backup);
	return { code, id: secrets.handle, expiresAt };
}

/** The page on the new device, with the code in the fragment. */
export function transferLink(origin: string, code: string): string {
	return `${origin}/welcome/transfer#${code}`;
}

export async function receiveTransfer(
	crypto: CryptoApi,
	relay: RelayClient,
	code: string
): Promise<BackupContents> {
	const secrets = await deviceCodeSecrets(code);
	const { backup } = await relay.claimTransfer(secrets.handle);
	return openBackup(crypto, backup, secrets.seal);
}
