import { writeFile } from 'node:fs/promises';
import { mbox, pgpMimeMessage } from '../../lib/client/mail-file';
import { requiredString, stringOption } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { print } from '../output';
import { listAll } from './list';

export const exportMail: Command = {
	name: 'export',
	summary: 'write a message as PGP/MIME .eml, or a folder as mbox, for other mail programs',
	help: `Usage: letterlock export ID --out FILE.eml
       letterlock export --folder inbox|sent --out FILE.mbox

Writes message ID as a standard PGP/MIME message (RFC 3156) that Thunderbird, mutt or gpg
open with your key. The ciphertext is written exactly as it was received, still encrypted,
so the sender's signature stays checkable. With --folder, every message of the folder goes
into one mbox file.

  --out FILE     the file to write
  --folder NAME  export the whole folder (inbox or sent) instead of one message`,
	options: { out: { type: 'string' }, folder: { type: 'string' } },
	async run(context, args) {
		const out = requiredString(args, 'out');
		const folder = stringOption(args, 'folder');
		const [id] = args.positionals;
		if ((folder === undefined) === (id === undefined)) {
			throw new UsageError('Name one message ID or one --folder to export.');
		}
		if (folder !== undefined && folder !== 'inbox' && folder !== 'sent') {
			throw new UsageError('--folder must be inbox or sent.');
		}
		const { address } = context.identity();
		const fetch = (messageId: string) =>
			context.authenticated(() => context.relay.fetchMessage(address, messageId));
		if (id !== undefined) {
			await writeFile(out, pgpMimeMessage(await fetch(id)), { mode: 0o600 });
			print(`Wrote message ${id} to ${out}.`);
			return;
		}
		const summaries = await listAll(context, folder as 'inbox' | 'sent');
		const messages = [];
		for (const summary of summaries) {
			const stored = await fetch(summary.id);
			messages.push({ from: stored.from, date: stored.receivedAt, text: pgpMimeMessage(stored) });
		}
		await writeFile(out, mbox(messages), { mode: 0o600 });
		print(`Wrote ${messages.length} messages from ${folder} to ${out}.`);
	}
};
