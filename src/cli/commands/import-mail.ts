import { checkLetters, importLetters } from '../../lib/client/mail-import-run';
import { positionals, stringOption, type ParsedArgs } from '../args';
import type { Command } from '../command';
import type { Context } from '../context';
import { CliError } from '../errors';
import { openImapSource, parseImapUrl } from '../imap-source';
import { ImportLedger } from '../import-ledger';
import { ImportProgress } from '../import-progress';
import { openMailSource, type MailSource } from '../mail-source';
import { print, printNote } from '../output';

export const importMail: Command = {
	name: 'import',
	summary: 'bring mail from an mbox, .eml file or folder of .eml files into your inbox, encrypted',
	help: `Usage: letterlock import FILE|FOLDER
       letterlock import --imap imaps://USER@HOST[:PORT][/FOLDER]

Reads FILE (one .eml message or an mbox of many, of any size) or every .eml file in FOLDER,
or, with --imap, every folder of an IMAP account (or the one named) over TLS, and files each message in your inbox on the relay, marked "imported", so all your devices
see it. PGP/MIME messages encrypted to your key are kept as they are, with their signatures;
mail that is not encrypted is encrypted to your own key here before it is sent, so the relay
never reads it. Every message is checked first: if any cannot be imported, nothing is.

Progress (letters, letters per second, time left) goes to stderr; the new message IDs to
stdout. When the relay asks to slow down, the import waits and goes on by itself. It can be
stopped (Ctrl-C) and run again: letters imported before, by this home, are skipped (by
Message-ID, or the whole text when there is none), recorded in its "imported-letters" file.
To import letters again (say, after deleting them), move that file away.

The IMAP password is read from $LETTERLOCK_IMAP_PASSWORD, or asked for on the terminal; it is
used for this connection only and stored nowhere. The old server's letters are only read, not
marked or moved. A user name holding "@" is written %40 (imaps://me%40example.org@HOST).`,
	options: { imap: { type: 'string' } },
	async run(context, args) {
		const source = await openSource(context, args);
		try {
			await importFrom(context, source);
		} finally {
			await source.close?.();
		}
	}
};

function openSource(context: Context, args: ParsedArgs): Promise<MailSource> {
	const imap = stringOption(args, 'imap');
	if (imap === undefined) {
		const [path] = positionals(args, ['the mbox, .eml file or folder to import']);
		return openMailSource(path!);
	}
	positionals(args, []);
	return openImapSource(parseImapUrl(imap), context.env);
}

async function importFrom(context: Context, source: MailSource): Promise<void> {
	await context.unlock();
	const { address } = context.identity();
	const ledger = ImportLedger.open(context.home.dir, address);
	const stop = new AbortController();
	const onInterrupt = () => stop.abort();
	// Ctrl-C lets the letter in flight finish and be recorded; a second one ends at once.
	process.once('SIGINT', onInterrupt);
	try {
		const { total, pending } = await checkAll(context, source, ledger, stop.signal);
		if (pending === 0) {
			printNote(
				`${total === 1 ? 'The letter was' : `All ${total} letters were`} imported before; nothing new to import.`
			);
			return;
		}
		if (pending < total) {
			printNote(`${total - pending} of ${total} letters were imported before; importing the rest.`);
		}
		const imported = await importAll(context, source, ledger, stop.signal);
		if (stop.signal.aborted) {
			throw new CliError(
				`Stopped after importing ${imported} letter(s); run the same command again to import the rest.`
			);
		}
		printNote(`Imported ${imported} message(s) into your inbox.`);
	} finally {
		process.off('SIGINT', onInterrupt);
		ledger.close();
	}
}

/** Checks every letter not imported before, without uploading any, so that a bad letter means
 * nothing is imported; PGP/MIME ones are decrypted again when imported (kept in no memory). */
async function checkAll(
	context: Context,
	source: MailSource,
	ledger: ImportLedger,
	signal: AbortSignal
): Promise<{ total: number; pending: number }> {
	const progress = new ImportProgress(source.totalBytes, 'Checked');
	try {
		const checked = await checkLetters(context.engine, source, ledger, progress, signal);
		if (!checked) throw new CliError('Stopped before importing anything.');
		return checked;
	} finally {
		progress.finish();
	}
}

/** Uploads every letter not in the ledger, printing the ID of each new one. Returns how many
 * are new on the relay; stops early when `signal` aborts. */
async function importAll(
	context: Context,
	source: MailSource,
	ledger: ImportLedger,
	signal: AbortSignal
): Promise<number> {
	const { address } = context.identity();
	const progress = new ImportProgress(source.totalBytes, 'Imported');
	try {
		return await importLetters(
			context.engine,
			source,
			ledger,
			progress,
			signal,
			(letter, key) =>
				context.authenticated(() =>
					context.relay.importMessage(address, letter.from, letter.message, key)
				),
			print
		);
	} finally {
		progress.finish();
	}
}
