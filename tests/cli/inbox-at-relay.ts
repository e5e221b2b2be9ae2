// What an import left in a person's inbox, read at the relay's storage and decrypted with the
// person's own key from their home: the judge of "each letter exactly once" is not the CLI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import type { RunningRelay } from '../helpers/relay-server';
import type { CliUser } from './run-cli';

/** The subject of every letter in `user`'s inbox, in the relay's order. */
export async function subjectsAtRelay(relay: RunningRelay, user: CliUser): Promise<string[]> {
	const { lockedPrivateKey } = JSON.parse(readFileSync(join(user.home, 'identity.json'), 'utf8'));
	const key = await openpgp.decryptKey({
		privateKey: await openpgp.readPrivateKey({ armoredKey: lockedPrivateKey }),
		passphrase: user.passphrase
	});
	const entries = await relay.storage.listMailbox(user.address, 'inbox', 0, 10_000);
	return Promise.all(
		entries.map(async (entry) => {
			const stored = await relay.storage.getMailboxMessage(user.address, entry.messageId);
			const message = await openpgp.readMessage({ armoredMessage: stored!.armored });
			const { data } = await openpgp.decrypt({ message, decryptionKeys: key });
			return /^Subject: (.*?)\r?$/m.exec(String(data))![1]!;
		})
	);
}
