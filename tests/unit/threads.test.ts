import { describe, expect, it } from 'vitest';
import type { MailboxEntry } from '../../src/lib/client/mailbox.svelte';
import type { OpenedMail } from '../../src/lib/client/mailer';
import { answerStart } from '../../src/lib/client/answer';
import { groupedByConversation } from '../../src/lib/client/threads';

function entry(
	id: string,
	date: string,
	thread: { inReplyTo?: string; references?: string[] } = {}
): MailboxEntry {
	const mail = {
		messageId: `${id}@example.org`,
		references: thread.references ?? [],
		inReplyTo: thread.inReplyTo,
		date,
		subject: id,
		body: `Body of ${id}\nsecond line`,
		from: { address: 'alice@example.org', name: 'Alice', fingerprint: null, conflict: false },
		to: [
			{ address: 'bob@example.org', fingerprint: null, conflict: false },
			{ address: 'carol@example.org', fingerprint: null, conflict: false }
		]
	} as unknown as OpenedMail;
	return {
		summary: { id, folder: 'inbox', from: 'alice@example.org', receivedAt: date, size: 1 },
		view: mail,
		mail,
		error: null
	};
}

describe('conversations', () => {
	it('groups by Message-ID, In-Reply-To and References, newest conversation first', () => {
		const first = entry('first', '2026-01-01T10:00:00Z');
		const other = entry('other', '2026-01-01T11:00:00Z');
		// The middle message is missing: References still joins the third to the first.
		const third = entry('third', '2026-01-01T12:00:00Z', {
			inReplyTo: 'second@example.org',
			references: ['first@example.org', 'second@example.org']
		});
		const groups = groupedByConversation([other, third, first]);
		expect(groups.map((group) => group.map((e) => e.summary.id))).toEqual([
			['first', 'third'],
			['other']
		]);
	});
	it('puts a quick answer after its question when both carry the same second', () => {
		const question = entry('question', '2026-01-01T10:00:00Z');
		const answer = entry('answer', '2026-01-01T10:00:00Z', {
			inReplyTo: 'question@example.org',
			references: ['question@example.org']
		});
		question.summary.receivedAt = '2026-01-01T10:00:00.200Z';
		answer.summary.receivedAt = '2026-01-01T10:00:00.900Z';
		// Listed newest first, as the mailbox keeps them.
		const [conversation] = groupedByConversation([answer, question]);
		expect(conversation!.map((e) => e.summary.id)).toEqual(['question', 'answer']);
	});
});

describe('answering', () => {
	const mail = entry('plan', '2026-01-01T10:00:00Z', { references: ['root@example.org'] }).mail!;

	it('replies to the sender, quoting, in the same thread', () => {
		const start = answerStart(mail, 'reply', 'bob@example.org');
		expect(start.to).toBe('alice@example.org');
		expect(start.subject).toBe('Re: plan');
		expect(start.body).toContain('Alice <alice@example.org> wrote:\n> Body of plan\n> second line');
		expect(start.thread).toEqual({
			inReplyTo: 'plan@example.org',
			references: ['root@example.org', 'plan@example.org']
		});
		expect(answerStart({ ...mail, subject: 'RE: plan' }, 'reply', 'x@example.org').subject).toBe(
			'RE: plan'
		);
	});

	it('replies to everyone but oneself, and forwards to no one yet', () => {
		expect(answerStart(mail, 'reply-all', 'bob@example.org').to).toBe(
			'alice@example.org, carol@example.org'
		);
		const forward = answerStart(mail, 'forward', 'bob@example.org');
		expect(forward).toMatchObject({ to: '', subject: 'Fwd: plan' });
		expect(forward.body).toContain('---------- Forwarded message ----------');
		expect(forward.thread).toBeUndefined();
	});
});
