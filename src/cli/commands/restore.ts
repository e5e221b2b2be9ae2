import { readFileSync } from 'node:fs';
import { openBackup, type BackupContents } from '../../lib/client/backup';
import { recover } from '../../lib/client/recovery';
import { isValidAddress, normaliseAddress } from '../../lib/protocol/address';
import { positionals, stringOption } from '../args';
import type { Command } from '../command';
import type { Context } from '../context';
import { CliError, UsageError } from '../errors';
import { groupFingerprint, print, printNote } from '../output';
import { readPassphrase, readSecret } from '../passphrase';

async function fromFile(context: Context, path: string): Promise<BackupContents> {
	let file: string;
	try {
		file = readFileSync(path, 'utf8');
	} catch (error) {
		throw new CliError(`Cannot read ${path}: ${(error as Error).message}.`);
	}
	const passphrase = await readPassphrase(context.env);
	const contents = await openBackup(context.engine, file, passphrase);
	await context.engine.unlock({ lockedPrivateKey: contents.identity.lockedPrivateKey, passphrase });
	return contents;
}

async function fromRelay(context: Context, address: string): Promise<BackupContents> {
	const phrase = await readSecret(context.env, 'LETTERLOCK_RECOVERY_PHRASE', 'recovery phrase');
	printNote('Choose the passphrase that locks your key here (old or new).');
	const passphrase = await readPassphrase(context.env, { confirm: true });
	return recover(context.engine, context.relay, {
		address: normaliseAddress(address),
		phrase,
		passphrase
	});
}

export const restore: Command = {
	name: 'restore',
	summary: 'bring back your key and contacts from a backup file or the relay',
	help: `Usage: letterlock restore FILE
       letterlock restore --recovery ADDRESS

Reads a backup made by "letterlock backup" or the browser app's Settings, with the
passphrase of the key inside, into an empty home. Your contacts keep their trust states.

With --recovery, fetches the recovery backup of ADDRESS from the relay and opens it with the
recovery phrase (LETTERLOCK_RECOVERY_PHRASE, or typed at the prompt); the key is then locked
with the passphrase you give (LETTERLOCK_PASSPHRASE, or typed twice), old or new.

  --recovery ADDRESS  restore from the relay with your recovery phrase`,
	options: { recovery: { type: 'string' } },
	async run(context, args) {
		const address = stringOption(args, 'recovery');
		const [path] = positionals(args, address === undefined ? ['the backup file'] : []);
		if (address !== undefined && !isValidAddress(address)) {
			throw new UsageError('Give your whole address after --recovery, like alice@example.org.');
		}
		if (context.home.readIdentity()) {
			throw new CliError(
				`There is already an identity in ${context.home.dir}; restore into an empty directory with --home DIR.`
			);
		}
		const contents = address ? await fromRelay(context, address) : await fromFile(context, path!);
		const { name, fingerprint, publicKey, lockedPrivateKey } = contents.identity;
		const store = context.home.contactStore();
		for (const contact of contents.contacts) await store.put(contact);
		context.home.writeIdentity({
			address: contents.identity.address,
			name,
			fingerprint,
			publicKey,
			lockedPrivateKey,
			relay: context.relayUrl
		});
		print(
			`Restored ${contents.identity.address} (${groupFingerprint(fingerprint)}) with ${contents.contacts.length} contacts.`
		);
	}
};
