import { writeFileSync } from 'node:fs';
import { sealBackup } from '../../lib/client/backup';
import { positionals, requiredString } from '../args';
import type { Command } from '../command';
import { CliError } from '../errors';
import { readPassphrase } from '../passphrase';

export const backup: Command = {
	name: 'backup',
	summary: 'write your key and contacts to an encrypted backup file',
	help: `Usage: letterlock backup --out FILE

Writes one file holding your passphrase-locked secret key and your contacts with their trust
states, all of it encrypted with your passphrase. "letterlock restore FILE" (or Settings in
the browser app) brings it back on another computer. Keep it somewhere safe: with your
passphrase it is your mail.

  --out FILE  where to write the backup (created with mode 0600)`,
	options: { out: { type: 'string' } },
	async run(context, args) {
		positionals(args, []);
		const out = requiredString(args, 'out');
		const identity = context.identity();
		const passphrase = await readPassphrase(context.env);
		// Proves the passphrase first: a backup sealed with a mistyped one would be lost.
		await context.engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase });
		const file = await sealBackup(context.engine, {
			identity,
			contacts: await context.home.contactStore().getAll(),
			passphrase
		});
		try {
			writeFileSync(out, file, { mode: 0o600 });
		} catch (error) {
			throw new CliError(`Cannot write ${out}: ${(error as Error).message}.`);
		}
		process.stderr.write(`Backup of ${identity.address} written to ${out}.\n`);
	}
};
