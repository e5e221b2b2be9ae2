// What the mail list shows of a letter, taken from its decrypted, checked form: kept sealed on
// the device (summary-store.ts) so that the list needs no decryption per letter on unlock.
// A subset of OpenedMail, so an opened letter is its own view.
import * as v from 'valibot';
import { MessageSummary } from '../protocol/api';
import type { OpenedMail } from './mailer';

export type LetterView = Pick<
	OpenedMail,
	| 'from'
	| 'to'
	| 'subject'
	| 'date'
	| 'signature'
	| 'imported'
	| 'messageId'
	| 'inReplyTo'
	| 'references'
> & { attachments: { name: string }[] };

const Trust = v.picklist(['unverified', 'verified', 'changed', 'rotated', 'conflict', 'revoked']);
const Person = v.object({
	address: v.string(),
	fingerprint: v.nullable(v.string()),
	conflict: v.boolean(),
	trust: v.optional(Trust),
	pinnedFingerprint: v.optional(v.nullable(v.string())),
	notLookedUp: v.optional(v.boolean())
});

export const LetterViewSchema = v.object({
	from: v.object({ ...Person.entries, name: v.string() }),
	to: v.array(Person),
	subject: v.string(),
	date: v.string(),
	signature: v.object({
		state: v.picklist(['valid', 'invalid', 'unknown-key', 'unsigned']),
		signer: v.nullable(v.string()),
		signedAt: v.nullable(v.string())
	}),
	imported: v.boolean(),
	messageId: v.string(),
	inReplyTo: v.optional(v.string()),
	references: v.array(v.string()),
	attachments: v.array(v.object({ name: v.string() }))
});

/** One letter as the summary store keeps it: the relay's listing, and the view once the
 * letter was decrypted (null while it waits for that). */
export const SummarySchema = v.object({
	summary: MessageSummary,
	view: v.nullable(LetterViewSchema)
});
export type Summary = v.InferOutput<typeof SummarySchema>;

/** Only the fields the list shows: the body and attachment contents stay out of the store. */
export function viewOf(mail: OpenedMail): LetterView {
	return {
		from: mail.from,
		to: mail.to,
		subject: mail.subject,
		date: mail.date,
		signature: mail.signature,
		imported: mail.imported,
		messageId: mail.messageId,
		...(mail.inReplyTo !== undefined ? { inReplyTo: mail.inReplyTo } : {}),
		references: mail.references,
		attachments: mail.attachments.map((attachment) => ({ name: attachment.name }))
	};
}
