// The recovery backup on the relay: the backup (backup.ts) with the secret key locked by a
// secret derived from the recovery phrase instead of the passphrase, sealed with that secret,
// and stored under a lookup secret derived from the same phrase. With the phrase alone a person
// gets their key and contacts back and chooses a passphrase anew.
import type { CryptoApi } from '../crypto/types';
import { openBackup, sealBackup, type BackupContents, type BackupIdentity } from './backup';
import type { RelayClient } from './relay-client';
import { newRecoveryPhrase, readRecoveryPhrase, recoverySecrets } from './secret-codes';
import type { ContactRecord } from './trust';

/** A recovery backup made on this device, not yet on the relay: the person first proves they
 * wrote the phrase down. */
export interface PendingRecovery {
	words: string[];
	lookup: string;
	backup: string;
}

/** Makes a new phrase and the backup it opens; `passphrase` unlocks the identity's key. */
export async function prepareRecovery(
	crypto: CryptoApi,
	input: { identity: BackupIdentity; contacts: ContactRecord[]; passphrase: string }
): Promise<PendingRecovery> {
	const { identity, contacts, passphrase } = input;
	const words = newRecoveryPhrase();
	const secrets = await recoverySecrets(identity.address, words);
	const lockedPrivateKey = await crypto.relockKey({
		lockedPrivateKey: identity.lockedPrivateKey,
		passphrase,
		newPassphrase: secrets.seal
	});
	const backup = await sealBackup(crypto, {
		identity: { ...identity, lockedPrivateKey },
		contacts,
		passphrase: secrets.seal
	});
	return { words, lookup: secrets.handle, backup };
}

/** Fetches and opens the recovery backup of `address`, then locks its key with `passphrase`. */
export async function recover(
	crypto: CryptoApi,
	relay: RelayClient,
	input: { address: string; phrase: string; passphrase: string }
): Promise<BackupContents> {
	const secrets = await recoverySecrets(input.address, readRecoveryPhrase(input.phrase));
	const { backup } = await relay.openRecovery(input.address, secrets.handle);
	const contents = await openBackup(crypto, backup, secrets.seal);
	const lockedPrivateKey = await crypto.relockKey({
		lockedPrivateKey: contents.identity.lockedPrivateKey,
		passphrase: secrets.seal,
		newPassphrase: input.passphrase
	});
	return { ...contents, identity: { ...contents.identity, lockedPrivateKey } };
}
