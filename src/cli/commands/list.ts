import { LIMITS, type Folder, type MessageSummary } from '../../lib/protocol/api';
import type { Mailer, OpenOptions } from '../../lib/client/mailer';
import { LetterlockError } from '../../lib/errors';
import { flag, positionals, stringOption } from '../args';
import type { Command } from '../command';
import type { Context } from '../context';
import { UsageError } from '../errors';
import { summaryJson } from '../mail-view';
import { errorText, print, printJson, safeLine, shortDate, table } from '../output';

export const list: Command = {
	name: 'list',
	summary: 'list your messages with sender, subject and signature state',
	help: `Usage: letterlock list [--folder inbox|sent] [--look-up] [--json]

Decrypts every message in the folder to show its date, sender, signature state and subject
(which only exist inside the encryption). Signatures are checked against the keys kept for
your contacts; listing asks the relay nothing about the addresses in the letters, unless
you ask with --look-up.

  --folder NAME  inbox (default) or sent
  --look-up      ask the directory for the key of every address in the letters (their
                 relays may learn that you read them); new keys are kept as contacts
  --json         print an array of {id, date, from, fingerprint, signature, subject, …}`,
	options: {
		folder: { type: 'string' },
		json: { type: 'boolean' },
		'look-up': { type: 'boolean' }
	},
	async run(context, args) {
		positionals(args, []);
		const folder = stringOption(args, 'folder') ?? 'inbox';
		if (folder !== 'inbox' && folder !== 'sent') {
			throw new UsageError('--folder must be inbox or sent.');
		}
		const mailer = await context.mailer();
		const summaries = await listAll(context, folder);
		const options = { lookUp: flag(args, 'look-up') };
		const entries = await Promise.all(
			summaries.map((summary) => openEntry(mailer, summary, options))
		);
		if (flag(args, 'json')) {
			printJson(entries);
			return;
		}
		if (entries.length === 0) {
			print(`No messages in ${folder}.`);
			return;
		}
		const rows = entries.map((entry) =>
			'error' in entry
				? [entry.id, shortDate(entry.receivedAt), entry.from, 'error', `(${safeLine(entry.error)})`]
				: [entry.id, shortDate(entry.date), entry.from, entry.signature, safeLine(entry.subject)]
		);
		print(table([['ID', 'DATE', 'FROM', 'SIGNATURE', 'SUBJECT'], ...rows]));
	}
};

/** The relay lists oldest first, a page at a time; follow the cursor to the end. */
export async function listAll(context: Context, folder: Folder): Promise<MessageSummary[]> {
	const { address } = context.identity();
	const all: MessageSummary[] = [];
	let after: string | undefined;
	for (;;) {
		const page = await context.authenticated(() => context.relay.list(address, folder, after));
		all.push(...page.messages);
		if (page.messages.length < LIMITS.listPage) return all;
		after = page.cursor;
	}
}

/** One unreadable message must not hide the others, so its error becomes its row. */
async function openEntry(mailer: Mailer, summary: MessageSummary, options: OpenOptions) {
	try {
		return summaryJson(await mailer.open(summary, options));
	} catch (error) {
		return {
			id: summary.id,
			from: summary.from,
			receivedAt: summary.receivedAt,
			error:
				error instanceof LetterlockError
					? errorText(error)
					: error instanceof Error
						? error.message
						: String(error)
		};
	}
}
