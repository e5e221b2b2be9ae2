// Everything printed to the terminal goes through here. Text from messages is untrusted: a
// hostile sender could embed escape sequences that rewrite the screen or the window title, so
// control characters are made visible before they reach a terminal. JSON output is already
// safe because JSON.stringify escapes them.
import type { SignatureCheck } from '../lib/crypto/types';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Untrusted text for the terminal: tabs and newlines stay, other controls become visible. */
export function safe(text: string): string {
	return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A single-line field (subject, name): newlines would let a sender forge extra lines. */
export function safeLine(text: string): string {
	return safe(text).replace(/[\r\n\t]+/g, ' ');
}

export function print(text = ''): void {
	process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(data: unknown): void {
	print(JSON.stringify(data, null, 2));
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
