// The backup file: the identity (its secret key still locked with the passphrase) and the
// contacts with their trust states, as JSON, the whole of it then encrypted with the same
// passphrase (OpenPGP symmetric encryption), so the file alone reveals not even whom you know.
import * as v from 'valibot';
import type { CryptoApi } from '../crypto/types';
import { ClientError } from './client-error';
import type { ContactRecord } from './trust';

export const BACKUP_FORMAT = 'letterlock-backup';
export const BACKUP_VERSION = 1;

const Identity = v.object({
	address: v.string(),
	name: v.string(),
	fingerprint: v.string(),
	publicKey: v.string(),
	lockedPrivateKey: v.string()
});

/** A contact record (trust.ts), as kept in a backup and in the CLI's contacts.json. */
export const Contact = v.object({
	address: v.string(),
	fingerprint: v.string(),
	publicKey: v.string(),
	verified: v.boolean(),
	pinnedAt: v.string(),
	verifiedAt: v.nullable(v.string())
});

const Backup = v.object({
	format: v.literal(BACKUP_FORMAT),
	version: v.literal(BACKUP_VERSION),
	createdAt: v.string(),
	identity: Identity,
	contacts: v.array(Contact)
});

export type BackupContents = v.InferOutput<typeof Backup>;
export type BackupIdentity = v.InferOutput<typeof Identity>;

export function sealBackup(
	crypto: CryptoApi,
	input: { identity: BackupIdentity; contacts: ContactRecord[]; passphrase: string }
): Promise<string> {
	const contents: BackupContents = {
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		createdAt: new Date().toISOString(),
		// Only the fields the format names: nothing else of the device's records leaks in.
		identity: v.parse(Identity, input.identity),
		contacts: input.contacts.map((contact) => v.parse(Contact, contact))
	};
	return crypto.sealWithPassphrase({
		text: JSON.stringify(contents),
		passphrase: input.passphrase
	});
}

/** Decrypts and checks a backup file; the passphrase also unlocks the key inside. */
export async function openBackup(
	crypto: CryptoApi,
	file: string,
	passphrase: string
): Promise<BackupContents> {
	const text = await crypto.openWithPassphrase({ message: file, passphrase });
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		data = undefined;
	}
	const parsed = v.safeParse(Backup, data);
	if (!parsed.success) {
		throw new ClientError({ kind: 'not-a-backup', params: {} });
	}
	return parsed.output;
}
