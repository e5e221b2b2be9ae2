// Everything printed to the terminal goes through here, and only here (a test fails on any other
// write in src/cli). Text from letters and from relays is untrusted: a hostile sender or relay
// could embed escape sequences that clear the screen, rewrite the window title or write the
// clipboard (OSC 52), or bidi overrides that reorder what is shown. So every sink below makes
// control characters visible, whatever the caller passed; single-line fields also go through
// `safeLine`. JSON stays valid: the visible form is JSON's own \uXXXX escape.
import type { SignatureCheck } from '../lib/crypto/types';

/** C0 controls but tab, newline and the CR of CRLF; DEL and the C1 controls (8-bit CSI, OSC…);
 * bidi embeddings, overrides and isolates. */
const CONTROL =
	// eslint-disable-next-line no-control-regex
	/\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Untrusted text for the terminal: tabs and newlines stay, other controls become visible. */
export function safe(text: string): string {
	return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A single-line field (subject, name, address, a relay's sentence): line breaks would let a
 * sender forge extra lines. */
export function safeLine(text: string): string {
	return safe(text).replace(/[\r\n\t\u2028\u2029]+/g, ' ');
}

function write(stream: NodeJS.WriteStream, text: string): void {
	stream.write(safe(text));
}

/** A line (or lines) on stdout. */
export function print(text = ''): void {
	write(process.stdout, text.endsWith('\n') ? text : `${text}\n`);
}

/** Text on stdout exactly as given (e.g. an armored message for a pipe), controls made visible. */
export function printRaw(text: string): void {
	write(process.stdout, text);
}

export function printJson(data: unknown): void {
	print(JSON.stringify(data, null, 2));
}

/** Progress and confirmations on stderr, so that stdout stays what scripts capture. */
export function printNote(text: string): void {
	write(process.stderr, text.endsWith('\n') ? text : `${text}\n`);
}

/** Whether stderr is a terminal, where a status line can rewrite itself. */
export const statusRewrites = (): boolean => process.stderr.isTTY === true;

/** A status line on stderr: on a terminal it replaces the previous one (carriage return, erase
 * line: our own controls, around text made safe); elsewhere it is one more line. */
export function printStatus(text: string): void {
	if (statusRewrites()) process.stderr.write(`\r\u001b[2K${safeLine(text)}`);
	else printNote(safeLine(text));
}

/** Erases the status line on a terminal, so that what follows starts on a clean line. */
export function clearStatus(): void {
	if (statusRewrites()) process.stderr.write('\r\u001b[2K');
}

/** A prompt on stderr, the cursor left after it. */
export function printPrompt(text: string): void {
	write(process.stderr, text);
}

/** A failure: one line on stderr, whatever line breaks a relay's message carried. */
export function printError(message: string): void {
	write(process.stderr, `letterlock: ${safeLine(message)}\n`);
}

/** Groups of four, as people read fingerprints aloud to each other. */
export function groupFingerprint(fingerprint: string): string {
	return fingerprint.replace(/(.{4})(?!$)/g, '$1 ');
}

export function describeSignature(signature: SignatureCheck): string {
	switch (signature.state) {
		case 'valid':
			return `valid, signed by ${groupFingerprint(signature.signer ?? '')}`;
		case 'invalid':
			return 'INVALID: the message was altered or the signature is forged';
		case 'unknown-key':
			return `cannot be checked: signed by key ${signature.signer ?? '?'}, which the directory does not serve for the sender`;
		case 'unsigned':
			return 'not signed: anyone could have written this';
	}
}

/** "2026-05-03 10:42" in UTC, short enough for a listing. */
export function shortDate(iso: string): string {
	return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Left-aligned columns; the last column is not padded. */
export function table(rows: string[][]): string {
	const widths: number[] = [];
	for (const row of rows) {
		row.forEach((cell, index) => {
			widths[index] = Math.max(widths[index] ?? 0, [...cell].length);
		});
	}
	return rows
		.map((row) =>
			row
				.map((cell, index) =>
					index === row.length - 1 ? cell : cell + ' '.repeat(widths[index]! - [...cell].length)
				)
				.join('  ')
		)
		.join('\n');
}
