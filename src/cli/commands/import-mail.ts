import { MailFileError } from '../../lib/client/mail-file';
import { checkLetter, prepareLetter, refusal } from '../../lib/client/mail-import';
import { RelayError, type RelayClient } from '../../lib/client/relay-client';
import { positionals } from '../args';
import type { Command } from '../command';
import type { Context } from '../context';
import { CliError } from '../errors';
import { ImportLedger } from '../import-ledger';
import { ImportProgress } from '../import-progress';
import { openMailSource, type MailSource } from '../mail-source';
import { errorText, print, printNote } from '../output';

export const importMail: Command = {
	name: 'import',
	summary: 'bring mail from an mbox, .eml file or folder of .eml files into your inbox, encrypted',
	help: `Usage: letterlock import FILE|FOLDER

Reads FILE (one .eml message or an mbox of many, of any size) or every .eml file in FOLDER
and files each message in your inbox on the relay, marked "imported", so all your devices
see it. PGP/MIME messages encrypted to your key are kept as they are, with their signatures;
mail that is not encrypted is encrypted to your own key here before it is sent, so the relay
never reads it. Every message is checked first: if any cannot be imported, nothing is.

Progress (letters, letters per second, time left) goes to stderr; the new message IDs to
stdout. When the relay asks to slow down, the import waits and goes on by itself. It can be
stopped (Ctrl-C) and run again: letters imported before, by this home, are skipped (by
Message-ID, or the whole text when there is none), recorded in its "imported-letters" file.
To import letters again (say, after deleting them), move that file away.`,
	options: {},
	async run(context, args) {
		const [path] = positionals(args, ['the mbox, .eml file or folder to import']);
		const source = await openMailSource(path!);
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
				printNote(
					`${total - pending} of ${total} letters were imported before; importing the rest.`
				);
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
};

/** Checks every letter not imported before, without uploading any, so that a bad letter means
 * nothing is imported; PGP/MIME ones are decrypted again when imported (kept in no memory). */
async function checkAll(
	context: Context,
	source: MailSource,
	ledger: ImportLedger,
	signal: AbortSignal
): Promise<{ total: number; pending: number }> {
	const progress = new ImportProgress(source.totalBytes, 'Checked');
	let total = 0;
	let firstRefusal: { index: number; reason: string } | undefined;
	for await (const { raw, bytesRead } of source.letters()) {
		if (signal.aborted) throw new CliError('Stopped before importing anything.');
		total += 1;
		const pending = !ledger.has(ledger.keyOf(raw));
		if (pending && !firstRefusal) {
			try {
				await checkLetter(context.engine, raw);
			} catch (error) {
				if (!(error instanceof MailFileError)) throw error;
				// Counting on tells the person which letter of how many it is.
				firstRefusal = { index: total - 1, reason: error.message };
			}
		}
		progress.letter(pending, bytesRead);
	}
	progress.finish();
	if (total === 0) throw new MailFileError('The file holds no mail; nothing was imported.');
	if (firstRefusal) throw refusal(firstRefusal.index, total, firstRefusal.reason);
	return { total, pending: progress.counted };
}

/** Uploads every letter not in the ledger, recording each once the relay has filed it. Returns
 * how many are new on the relay; stops early when `signal` aborts. */
async function importAll(
	context: Context,
	source: MailSource,
	ledger: ImportLedger,
	signal: AbortSignal
): Promise<number> {
	const { address } = context.identity();
	const progress = new ImportProgress(source.totalBytes, 'Imported');
	const backoff = new Backoff(progress, signal);
	try {
		for await (const { raw, bytesRead } of source.letters()) {
			if (signal.aborted) break;
			const key = ledger.keyOf(raw);
			if (ledger.has(key)) {
				progress.letter(false, bytesRead);
				continue;
			}
			const letter = await prepareLetter(context.engine, raw);
			const filed = await backoff.retry(() =>
				context.authenticated(() =>
					context.relay.importMessage(address, letter.from, letter.message, key)
				)
			);
			if (!filed) break;
			ledger.record(key);
			// Filed by an earlier run that stopped before recording it: not new, not printed.
			if (!filed.replayed) print(filed.id);
			progress.letter(!filed.replayed, bytesRead);
		}
	} finally {
		progress.finish();
	}
	return progress.counted;
}

/** Times to wait before trying a letter again: a relay that is busy or briefly unreachable
 * delays the import, never ends it. Retrying is safe because the relay files each letter key
 * once. */
class Backoff {
	/** When the person was last told that the relay asked us to slow down. */
	#toldAt = -Infinity;

	constructor(
		private readonly progress: ImportProgress,
		private readonly signal: AbortSignal
	) {}

	/** `call`'s answer, or undefined when stopped while waiting. */
	async retry(call: () => Promise<Filed>): Promise<Filed | undefined> {
		for (let attempt = 1; ; attempt += 1) {
			try {
				return await call();
			} catch (error) {
				const seconds = retryDelay(error, attempt);
				if (seconds === undefined || !(error instanceof RelayError)) throw error;
				this.#tell(error, seconds);
				if (!(await pause(seconds * 1000, this.signal))) return undefined;
			}
		}
	}

	#tell(error: RelayError, seconds: number): void {
		const waiting = `waiting ${seconds} s for the relay`;
		if (Date.now() - this.#toldAt < TELL_EVERY_MS) return this.progress.waiting(waiting);
		this.#toldAt = Date.now();
		this.progress.note(`${errorText(error)} The import is ${waiting}, then goes on.`);
	}
}

type Filed = Awaited<ReturnType<RelayClient['importMessage']>>;

/** Repeats of the slow-down note; in between, the status line says the import is waiting. */
const TELL_EVERY_MS = 60_000;
/** Tries of a letter while the relay cannot be reached, waits doubling from 2 s (about 4 min). */
const UNREACHABLE_TRIES = 7;

function retryDelay(error: unknown, attempt: number): number | undefined {
	if (!(error instanceof RelayError)) return undefined;
	if (error.status === 429) return Math.min(600, Math.max(1, error.retryAfterSeconds ?? 5));
	const unavailable = error.kind === 'offline' || [502, 503, 504].includes(error.status);
	return unavailable && attempt < UNREACHABLE_TRIES ? 2 ** attempt : undefined;
}

/** Waits `ms`; false when `signal` aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
	if (signal.aborted) return Promise.resolve(false);
	return new Promise((resolve) => {
		const done = (finished: boolean) => {
			clearTimeout(timer);
			signal.removeEventListener('abort', onAbort);
			resolve(finished);
		};
		const onAbort = () => done(false);
		const timer = setTimeout(() => done(true), ms);
		signal.addEventListener('abort', onAbort);
	});
}
