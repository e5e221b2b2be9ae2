// Everything printed to the terminal goes through here, and only here (a test fails on any other
// write in src/cli). Text from letters and from relays is untrusted: a hostile sender or relay
// could embed escape sequences that clear the screen, rewrite the window title or write the
// clipboard (OSC 52), or bidi overrides that reorder what is shown. So every sink below makes
// control characters visible, whatever the caller passed; single-line fields also go through
// `safeLine`. JSON stays valid: the visible form is JSON's own \uXXXX escape.
import type { SignatureCheck } from '../lib/crypto/types';
import type { LetterlockError, RecipientProblem } from '../lib/errors';
import { errorSentence } from '../lib/strings/errors';

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

/** The sentence for one of Letterlock's errors: lib/strings' words (never a relay's own), and
 * for a recipient problem also the commands that fix it here. */
export function errorText(error: LetterlockError): string {
	const { facts } = error;
	if (facts.domain === 'relay' && facts.kind === 'offline') {
		return 'The relay cannot be reached. Check its address (--relay) and your connection.';
	}
	if (facts.domain === 'mailer') return recipientProblemText(facts.params);
	return errorSentence(facts);
}

export function recipientProblemText(problem: RecipientProblem): string {
	const sentence = errorSentence({ domain: 'mailer', kind: problem.kind, params: problem });
	const [address] = problem.addresses;
	switch (problem.kind) {
		case 'key-changed':
			return `Nothing was sent: the relay now serves a different key for ${problem.addresses.join(', ')} than the one kept for them, so someone may be posing as them. Compare fingerprints with them ("letterlock contacts", "letterlock lookup ${address}"), then run "letterlock verify ${address} FINGERPRINT", or send again with --keep-old-key ${address} to encrypt to the key kept before.`;
		case 'list-changed': {
			const lists = problem.changes.map((change) =>
				change.members === null
					? `${change.address} is no longer a list`
					: `${change.address} now reaches ${change.members.join(', ')}`
			);
			const accept = problem.addresses.map((list) => `--accept-list-change ${list}`).join(' ');
			return `${sentence}\n${lists.join('\n')}\nIf you mean to write to them, send again with ${accept}.`;
		}
		case 'key-missing':
			return `${sentence} To write to the key kept before anyway, send again with --keep-old-key ${address}.`;
		case 'key-conflict':
			return `Nothing was sent. More than one key claims ${problem.addresses.join(', ')}, so Letterlock will not choose one. See them with "letterlock lookup ${address}", compare with the owner, then run "letterlock verify ${address} FINGERPRINT".`;
		default:
			return sentence;
	}
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
