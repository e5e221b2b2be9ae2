import { readFileSync } from 'node:fs';
import { openBackup } from '../../lib/client/backup';
import { positionals } from '../args';
import type { Command } from '../command';
import { CliError } from '../errors';
import { groupFingerprint, print } from '../output';
import { readPassphrase } from '../passphrase';

export const restore: Command = {
	name: 'restore',
	summary: 'bring back your key and contacts from a backup file',
	help: `Usage: letterlock restore FILE

Reads a backup made by "letterlock backup" or the browser app's Settings, with the
passphrase of the key inside, into an empty home. Your contacts keep their trust states.`,
	options: {},
	async run(context, args) {
		const [path] = positionals(args, ['the backup file']);
		if (context.home.readIdentity()) {
			throw new CliError(
				`There is already an identity in ${context.home.dir}; restore into an empty directory with --home DIR.`
			);
		}
		let file: string;
		try {
			file = readFileSync(path!, 'utf8');
		} catch (error) {
			throw new CliError(`Cannot read ${path}: ${(error as Error).message}.`);
		}
		const passphrase = await readPassphrase(context.env);
		const contents = await openBackup(context.engine, file, passphrase);
		const { address, name, fingerprint, publicKey, lockedPrivateKey } = contents.identity;
		await context.engine.unlock({ lockedPrivateKey, passphrase });
		const store = context.home.contactStore();
		for (const contact of contents.contacts) await store.put(contact);
		context.home.writeIdentity({
			address,
			name,
			fingerprint,
			publicKey,
			lockedPrivateKey,
			relay: context.relayUrl
		});
		print(
			`Restored ${address} (${groupFingerprint(fingerprint)}) with ${contents.contacts.length} contacts.`
		);
	}
};
