// Display helpers shared by the components.
import { LetterlockError, type RecipientProblem } from '$lib/errors';
import { errorSentence } from '$lib/strings/errors';
import { formatStrings as strings } from '$lib/strings/format';

/** "ABCD EF01 …": fingerprints are read and compared in blocks of four hex digits. */
export function groupFingerprint(fingerprint: string): string {
	return fingerprint.replace(/(.{4})(?!$)/g, '$1 ');
}

/** The last `groups` blocks: enough to tell keys apart at a glance, short enough for a list. */
export function shortFingerprint(fingerprint: string, groups = 4): string {
	return groupFingerprint(fingerprint).split(' ').slice(-groups).join(' ');
}

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDate(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? strings.unknownDate : DATE_FORMAT.format(date);
}

/** A thrown value as a sentence for the screen. Letterlock's errors are told from their kind
 * in lib/strings' words (a relay's refusal never in the relay's own); the others carry one. */
export function sentence(error: unknown): string {
	if (error instanceof LetterlockError) return errorSentence(error.facts);
	return error instanceof Error && error.message ? error.message : strings.somethingWentWrongTry;
}

/** Why the recipients written cannot be written to yet, for the compose form. */
export function problemSentence(problem: RecipientProblem): string {
	return errorSentence({ domain: 'mailer', kind: problem.kind, params: problem });
}
