// What the compose form starts with when answering a message: reply (to the sender), reply all
// (to everyone but oneself) or forward (to no one yet), with a quoted or forwarded copy and,
// for replies, the threading headers that keep the conversation together.
import type { OpenedMail } from './mailer';

export type AnswerMode = 'reply' | 'reply-all' | 'forward';

export interface ComposeStart {
	to: string;
	subject: string;
	body: string;
	thread?: { inReplyTo: string; references: string[] };
}

/** Conversations longer than this keep only their newest IDs in References. */
const MAX_REFERENCES = 20;

function prefixed(prefix: 'Re' | 'Fwd', subject: string): string {
	const already = prefix === 'Re' ? /^re:/i : /^fwd?:/i;
	return already.test(subject.trim()) ? subject.trim() : `${prefix}: ${subject.trim()}`;
}

function sender(mail: OpenedMail): string {
	return mail.from.name ? `${mail.from.name} <${mail.from.address}>` : mail.from.address;
}

export function answerStart(mail: OpenedMail, mode: AnswerMode, me: string): ComposeStart {
	if (mode === 'forward') {
		return {
			to: '',
			subject: prefixed('Fwd', mail.subject),
			body: [
				'',
				'',
				'---------- Forwarded message ----------',
				`From: ${sender(mail)}`,
				`Date: ${new Date(mail.date).toUTCString()}`,
				`Subject: ${mail.subject}`,
				`To: ${mail.to.map((recipient) => recipient.address).join(', ')}`,
				'',
				mail.body
			].join('\n')
		};
	}
	const fromMe = mail.from.address === me;
	// Answering one's own sent message goes to its recipients, as mail programs do.
	const everyone = [mail.from.address, ...mail.to.map((recipient) => recipient.address)];
	const to =
		mode === 'reply'
			? fromMe
				? mail.to.map((recipient) => recipient.address)
				: [mail.from.address]
			: everyone.filter((address) => address !== me);
	const quoted = mail.body
		// trimEnd, not /\s+$/, which is quadratic on a long run of spaces inside the text.
		.trimEnd()
		.split('\n')
		.map((line) => (line ? `> ${line}` : '>'))
		.join('\n');
	return {
		to: [...new Set(to)].join(', '),
		subject: prefixed('Re', mail.subject),
		body: `\n\nOn ${new Date(mail.date).toUTCString()}, ${sender(mail)} wrote:\n${quoted}\n`,
		thread: mail.messageId
			? {
					inReplyTo: mail.messageId,
					references: [...mail.references, mail.messageId].slice(-MAX_REFERENCES)
				}
			: undefined
	};
}
