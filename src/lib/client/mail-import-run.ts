// The import of a whole mailbox, shared by `letterlock import` and Settings → Import: the
// letters come from a source that can be read more than once (a file streamed in chunks, an IMAP
// account), a ledger on the device says which were imported before, and the relay files each
// letter key once. First every new letter is checked without uploading any, so a bad letter
// means nothing is imported; then each is encrypted here and uploaded, and recorded once filed.
// A relay that asks to slow down, or is briefly away, delays the import; it never ends it.
import type { CryptoApi } from '../crypto/types';
import { MailFileError } from './mail-file';
import { checkLetter, prepareLetter, refusal, type PreparedImport } from './mail-import';
import { RelayError } from './relay-client';

export interface SourceLetter {
	raw: string;
	/** Bytes of the source read so far, for the time left. */
	bytesRead: number;
}

export interface LetterSource {
	totalBytes: number;
	/** Every letter, in order; each call reads the source again from the start. */
	letters(): AsyncIterable<SourceLetter>;
}

/** Which letters this device has imported, by a keyed digest that is also the relay's
 * Idempotency-Key (the CLI's `import-ledger.ts`, the browser's `mail-import-ledger.ts`). */
export interface LetterLedger {
	keyOf(raw: string): string | Promise<string>;
	has(key: string): boolean;
	/** Kept before the next letter starts. */
	record(key: string): void | Promise<void>;
}

/** What the import tells the person as it goes. */
export interface ImportObserver {
	/** One more letter done: counted (checked, or new on the relay), or imported before. */
	letter(counted: boolean, bytesRead: number): void;
	/** The import waits `seconds` for the relay, which asked to slow down (or is away). */
	waiting(wait: RelayWait): void;
}

export interface RelayWait {
	slowDown: boolean;
	/** The relay's own sentence. */
	reason: string;
	seconds: number;
}

export interface Filed {
	id: string;
	/** Filed before under this key (by a run that stopped before recording it): nothing new. */
	replayed?: true;
}

/** Files one prepared letter under its key on the relay. */
export type FileLetter = (letter: PreparedImport, key: string) => Promise<Filed>;

/** Checks every letter not imported before; undefined when stopped. Throws MailFileError naming
 * the first letter that cannot be imported (counting on, to say "which of how many"). */
export async function checkLetters(
	crypto: CryptoApi,
	source: LetterSource,
	ledger: LetterLedger,
	observer: ImportObserver,
	signal: AbortSignal
): Promise<{ total: number; pending: number } | undefined> {
	let total = 0;
	let pending = 0;
	let firstRefusal: { index: number; reason: string } | undefined;
	for await (const { raw, bytesRead } of source.letters()) {
		if (signal.aborted) return undefined;
		total += 1;
		const isNew = !ledger.has(await ledger.keyOf(raw));
		if (isNew) pending += 1;
		if (isNew && !firstRefusal) {
			try {
				await checkLetter(crypto, raw);
			} catch (error) {
				if (!(error instanceof MailFileError)) throw error;
				firstRefusal = { index: total - 1, reason: error.message };
			}
		}
		observer.letter(isNew, bytesRead);
	}
	if (total === 0) throw new MailFileError('The file holds no mail; nothing was imported.');
	if (firstRefusal) throw refusal(firstRefusal.index, total, firstRefusal.reason);
	return { total, pending };
}

/** Uploads every letter not in the ledger, recording each once the relay has filed it, until
 * done or `signal` aborts. Calls `filedNew` with each letter new on the relay; returns how many. */
export async function importLetters(
	crypto: CryptoApi,
	source: LetterSource,
	ledger: LetterLedger,
	observer: ImportObserver,
	signal: AbortSignal,
	file: FileLetter,
	filedNew: (id: string) => void = () => {}
): Promise<number> {
	let imported = 0;
	for await (const { raw, bytesRead } of source.letters()) {
		if (signal.aborted) break;
		const key = await ledger.keyOf(raw);
		if (ledger.has(key)) {
			observer.letter(false, bytesRead);
			continue;
		}
		const letter = await prepareLetter(crypto, raw);
		const filed = await retrying(() => file(letter, key), observer, signal);
		if (!filed) break;
		await ledger.record(key);
		if (!filed.replayed) {
			imported += 1;
			filedNew(filed.id);
		}
		observer.letter(!filed.replayed, bytesRead);
	}
	return imported;
}

/** Tries of a letter while the relay cannot be reached, waits doubling from 2 s (about 4 min). */
const UNREACHABLE_TRIES = 7;

/** `call`'s answer, retried while the relay is busy or briefly away (safe: the relay files each
 * letter key once); undefined when stopped while waiting. */
async function retrying(
	call: () => Promise<Filed>,
	observer: ImportObserver,
	signal: AbortSignal
): Promise<Filed | undefined> {
	for (let attempt = 1; ; attempt += 1) {
		try {
			return await call();
		} catch (error) {
			const seconds = retryDelay(error, attempt);
			if (seconds === undefined || !(error instanceof RelayError)) throw error;
			observer.waiting({ slowDown: error.status === 429, reason: error.message, seconds });
			if (!(await pause(seconds * 1000, signal))) return undefined;
		}
	}
}

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
