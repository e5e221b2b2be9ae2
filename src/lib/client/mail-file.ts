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
	const normalised = text.replace(/\r\n/g, '\n');
	if (!MBOX_SEPARATOR.test(normalised)) {
		return normalised.trim() === '' ? [] : [normalised];
	}
	const messages: string[][] = [];
	for (const line of normalised.split('\n')) {
		if (MBOX_SEPARATOR.test(line)) messages.push([]);
		else messages[messages.length - 1]!.push(line.replace(/^>(>*From )/, '$1'));
	}
	return messages.map((lines) => withOneFinalNewline(lines.join('\n')));
}

/** `text` with any trailing newlines made one. A loop, not /\n+$/, which retries from every
 * newline of a long run and is quadratic in its length. */
function withOneFinalNewline(text: string): string {
	let end = text.length;
	while (end > 0 && text[end - 1] === '\n') end -= 1;
	return end === text.length ? text : `${text.slice(0, end)}\n`;
}
