// What the mail list shows of a letter, taken from its decrypted, checked form: kept sealed on
// the device (summary-store.ts) so that the list needs no decryption per letter on unlock.
// A subset of OpenedMail; how it is written at rest is summary-format.ts.
import type { MessageSummary } from '../protocol/api';
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

/** One letter as the summary store keeps it: the relay's listing, and the view once the
 * letter was decrypted (null while it waits for that). */
export interface Summary {
	summary: MessageSummary;
	view: LetterView | null;
}

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
