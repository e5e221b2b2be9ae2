// Mail as files other programs open: one message as a PGP/MIME `.eml` (RFC 3156) wrapping the
// ciphertext exactly as stored, a folder as mbox (mboxrd quoting), and the reverse split of a
// file into its messages for import. Nothing here decrypts; see docs/PROTOCOL.md "Export".
import type { StoredMessage } from '../protocol';

export class MailFileError extends Error {
	override name = 'MailFileError';
}

/** The stored message as an RFC 3156 multipart/encrypted message, CRLF line ends. */
export function pgpMimeMessage(stored: StoredMessage): string {
	const boundary = `letterlock-${stored.id}`;
	const date = new Date(stored.receivedAt).toUTCString().replace('GMT', '+0000');
	return [
		`From: ${stored.from}`,
		...(stored.to.length > 0 ? [`To: ${stored.to.join(', ')}`] : []),
		`Date: ${date}`,
		// The real subject is inside the encryption (protected headers); mail programs show it
		// once they have decrypted the message.
		'Subject: ...',
		`Message-ID: <${stored.id}@letterlock.invalid>`,
		'MIME-Version: 1.0',
		`Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${boundary}"`,
		'',
		'This is an OpenPGP/MIME encrypted message (RFC 3156).',
		`--${boundary}`,
		'Content-Type: application/pgp-encrypted',
		'Content-Description: PGP/MIME version identification',
		'',
		'Version: 1',
		'',
		`--${boundary}`,
		'Content-Type: application/octet-stream; name="encrypted.asc"',
		'Content-Description: OpenPGP encrypted message',
		'Content-Disposition: inline; filename="encrypted.asc"',
		'',
		stored.message.replace(/\r?\n/g, '\r\n').trimEnd(),
		`--${boundary}--`,
		''
	].join('\r\n');
}

const MBOX_SEPARATOR = /^From \S+/;

/** Messages as one mbox (mboxrd): each after a `From ` line, `>*From ` lines quoted once more. */
export function mbox(messages: { from: string; date: string; text: string }[]): string {
	return messages
		.map(({ from, date, text }) => {
			const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
			const quoted = lines.map((line) => (/^>*From /.test(line) ? `>${line}` : line));
			return [`From ${from || 'MAILER-DAEMON'} ${asctime(new Date(date))}`, ...quoted, ''].join(
				'\n'
			);
		})
		.join('\n');
}

/** `Sun Nov 22 08:30:00 2026`, the date form of mbox separator lines. */
function asctime(date: Date): string {
	const [weekday, day, month, year, time] = date.toUTCString().replace(',', '').split(' ');
	return `${weekday} ${month} ${day!.padStart(2, ' ')} ${time} ${year}`;
}

/** The messages in a `.eml` (one) or mbox (several) file, as RFC 5322 text. */
export function splitMailFile(text: string): string[] {
	const splitter = new MailSplitter();
	return [...splitter.push(text), ...splitter.end()];
}

/**
 * Splits mail text that arrives in chunks into its messages, holding only the message being
 * read, so a mailbox of any size streams through in little memory. The first line decides: an
 * mbox `From ` line starts each message (mboxrd `>From ` quoting undone), anything else is one
 * message. CRLF line ends become LF. A message longer than `maxChars` is cut there (the importer
 * then refuses it as too large) instead of growing without bound.
 */
export class MailSplitter {
	#partial = '';
	#mbox: boolean | undefined;
	#lines: string[] = [];
	#chars = 0;
	#started = false;
	#overlong = false;

	constructor(private readonly maxChars = Infinity) {}

	/** The messages completed by this chunk. */
	push(chunk: string): string[] {
		if (this.#overlong) {
			// The rest of a line too long to keep: its message is cut already.
			const newline = chunk.indexOf('\n');
			if (newline === -1) return [];
			chunk = chunk.slice(newline + 1);
			this.#overlong = false;
		}
		const lines = (this.#partial + chunk).split('\n');
		this.#partial = lines.pop()!;
		const done: string[] = [];
		for (const line of lines) this.#line(line.endsWith('\r') ? line.slice(0, -1) : line, done);
		if (this.#partial.length > this.maxChars) {
			this.#line(this.#partial, done);
			this.#partial = '';
			this.#overlong = true;
		}
		return done;
	}

	/** The last message, once the input has ended. */
	end(): string[] {
		const done: string[] = [];
		// What follows the last newline is a line too (empty when the file ends with one).
		this.#line(this.#partial, done);
		this.#partial = '';
		this.#finish(done);
		return done;
	}

	#line(line: string, done: string[]): void {
		this.#mbox ??= MBOX_SEPARATOR.test(line);
		if (this.#mbox && MBOX_SEPARATOR.test(line)) {
			this.#finish(done);
			this.#started = true;
			return;
		}
		this.#started = true;
		if (this.#chars > this.maxChars) return;
		const text = this.#mbox ? line.replace(/^>(>*From )/, '$1') : line;
		this.#lines.push(text);
		this.#chars += text.length + 1;
	}

	#finish(done: string[]): void {
		if (!this.#started) return;
		const text = this.#lines.join('\n');
		this.#lines = [];
		this.#chars = 0;
		this.#started = false;
		if (this.#mbox) done.push(withOneFinalNewline(text));
		else if (text.trim() !== '') done.push(text);
	}
}

/** `text` with any trailing newlines made one. A loop, not /\n+$/, which retries from every
 * newline of a long run and is quadratic in its length. */
function withOneFinalNewline(text: string): string {
	let end = text.length;
	while (end > 0 && text[end - 1] === '\n') end -= 1;
	return end === text.length ? text : `${text.slice(0, end)}\n`;
}

/** What names a letter for the import ledger: its Message-ID, or all of its text when it has
 * none (the same letter exported twice by another program keeps both). */
export function letterIdentity(raw: string): string {
	const id = headerValue(raw, 'message-id');
	return id ? `message-id ${id}` : `content ${raw}`;
}

/** The first value of header `name` (lower case), unfolded and trimmed; reads only the header. */
function headerValue(raw: string, name: string): string | undefined {
	const headerEnd = raw.indexOf('\n\n');
	const lines = (headerEnd === -1 ? raw : raw.slice(0, headerEnd)).split('\n');
	for (const [index, line] of lines.entries()) {
		if (line.slice(0, name.length + 1).toLowerCase() !== `${name}:`) continue;
		let value = line.slice(name.length + 1);
		for (const next of lines.slice(index + 1)) {
			if (!/^[ \t]/.test(next)) break;
			value += next;
		}
		return value.trim() || undefined;
	}
	return undefined;
}
