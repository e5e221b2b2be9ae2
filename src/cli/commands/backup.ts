import { writeFileSync } from 'node:fs';
import { sealBackup } from '../../lib/client/backup';
import { prepareRecovery } from '../../lib/client/recovery';
import { flag, positionals, stringOption } from '../args';
import type { Command } from '../command';
import type { Context } from '../context';
import { CliError, UsageError } from '../errors';
import { print, printNote } from '../output';
import { readPassphrase } from '../passphrase';

/** Stores a recovery backup on the relay and prints its phrase, the only time it is shown. */
async function recoveryBackup(context: Context, passphrase: string): Promise<void> {
	const identity = context.identity();
	const pending = await prepareRecovery(context.engine, {
		identity,
		contacts: await context.home.contactStore().getAll(),
		passphrase
	});
	await context.authenticated(() => context.relay.putRecovery(pending.lookup, pending.backup));
	printNote(
		`Recovery backup of ${identity.address} stored on the relay. Write these ${pending.words.length} words down, in order; they are shown only this once:`
	);
	print(pending.words.join(' '));
}

export const backup: Command = {
	name: 'backup',
	summary: 'write your key and contacts to an encrypted backup file, or to the relay',
	help: `Usage: letterlock backup --out FILE
       letterlock backup --recovery

Writes one file holding your passphrase-locked secret key and your contacts with their trust
states, all of it encrypted with your passphrase. "letterlock restore FILE" (or Settings in
the browser app) brings it back on another computer. Keep it somewhere safe: with your
passphrase it is your mail.

With --recovery, the same backup goes to the relay instead, encrypted with a new recovery
phrase of 13 words that is printed once (replacing any earlier one). "letterlock restore
--recovery ADDRESS" or "Sign in with your recovery phrase" in the browser brings it back
with the phrase alone.

  --out FILE  where to write the backup (created with mode 0600)
  --recovery  store a recovery backup on the relay and print its phrase`,
	options: { out: { type: 'string' }, recovery: { type: 'boolean' } },
	async run(context, args) {
		positionals(args, []);
		const out = stringOption(args, 'out');
		const recovery = flag(args, 'recovery');
		if ((out === undefined) === !recovery) {
			throw new UsageError('Give either --out FILE or --recovery.');
		}
		const identity = context.identity();
		const passphrase = await readPassphrase(context.env);
		// Proves the passphrase first: a backup sealed with a mistyped one would be lost.
		await context.unlock(passphrase);
		if (recovery) return recoveryBackup(context, passphrase);
		const file = await sealBackup(context.engine, {
			identity,
			contacts: await context.home.contactStore().getAll(),
			passphrase
		});
		try {
			writeFileSync(out!, file, { mode: 0o600 });
		} catch (error) {
			throw new CliError(`Cannot write ${out}: ${(error as Error).message}.`);
		}
		printNote(`Backup of ${identity.address} written to ${out}.`);
	}
};
