// The plaintext format inside every message: protected headers that survive a round trip, and
// tolerant parsing of what other mail programs (or people with gpg) produce.
import { describe, expect, it } from 'vitest';
import { formatMail, parseMail, type Mail } from '../../src/lib/client/mail-format';

function mail(overrides: Partial<Mail['headers']> = {}, body = 'Hello.'): Mail {
	return {
		headers: {
			subject: 'Plain subject',
			from: { name: 'Alice Liddell', address: 'alice@example.org' },
			to: ['bob@example.org'],
			date: new Date('2026-05-03T10:42:17Z'),
			messageId: '0d8c1b9e-5d7f-4e59-9f0c-1c2d3e4f5a6b@example.org',
			...overrides
		},
		body
	};
}

describe('formatMail / parseMail', () => {
	it('round-trips every header and the body', () => {
		const original = mail();
		expect(parseMail(formatMail(original))).toEqual({
			...original,
			bodyType: 'text/plain',
			attachments: []
		});
	});

	it('round-trips the threading headers and a forwarded original with its signature', () => {
		const thread = { inReplyTo: 'b@example.org', references: ['a@example.org', 'b@example.org'] };
		const original = {
			text: 'From: carol@example.org\r\nSubject: First\r\n\r\nline one\r\n"quoted" line',
			signature: '-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n'
		};
		const text = formatMail({ ...mail(thread), originals: [original] });
		expect(text).toContain('In-Reply-To: <b@example.org>\r\n');
		expect(text).toContain('References: <a@example.org> <b@example.org>\r\n');
		const parsed = parseMail(text);
		expect(parsed.headers).toMatchObject(thread);
		expect(parsed.body).toBe('Hello.');
		expect(parsed.attachments).toEqual([
			expect.objectContaining({
				name: 'original-message.json',
				type: 'application/vnd.letterlock.signed-original+json',
				original
			})
		]);
	});

	it('round-trips unicode subjects and names via RFC 2047, keeping the headers ASCII', () => {
		const original = mail({
			subject: 'Grüße aus Köln — 日本語 ✉️ 🎉',
			from: { name: 'Zoë "Zee" O’Brien, PhD', address: 'zoe@example.org' }
		});
		const text = formatMail(original);
		const headerBlock = text.slice(0, text.indexOf('\r\n\r\n'));
		expect(headerBlock).toMatch(/^[\x20-\x7e\r\n]*$/);
		expect(headerBlock).toContain('Subject: =?UTF-8?B?');
		expect(parseMail(text).headers).toEqual(original.headers);
	});

	it('keeps several recipients in order', () => {
		const to = ['bob@example.org', 'carol@example.org', 'dave+lists@example.org'];
		const text = formatMail(mail({ to }));
		expect(text).toContain(
			'\r\nTo: bob@example.org, carol@example.org, dave+lists@example.org\r\n'
		);
		expect(parseMail(text).headers.to).toEqual(to);
	});

	it('marks the part as protected headers, uses CRLF, and keeps the body exactly', () => {
		const body = 'Line one\n\nSubject: not a header, just text\nLast line';
		const text = formatMail(mail({}, body));
		expect(text.split('\r\n')[0]).toBe(
			'Content-Type: text/plain; charset=utf-8; protected-headers="v1"'
		);
		expect(text).not.toMatch(/[^\r]\n/);
		expect(parseMail(text).body).toBe(body);
	});

	it('cannot be made to forge a header through a subject with line breaks', () => {
		const text = formatMail(mail({ subject: 'hello\r\nBcc: eve@example.org' }));
		const parsed = parseMail(text);
		expect(parsed.headers.subject).toBe('hello Bcc: eve@example.org');
		expect(text).not.toContain('\r\nBcc:');
	});

	it('reads folded headers, case-insensitive names and Q-encoded words', () => {
		const text = [
			'subject: A long subject that a mail program',
			' folded onto a second line',
			'FROM: =?utf-8?q?Ren=C3=A9e_M=C3=BCller?= <Renee@Example.org>',
			'To: bob@example.org,',
			'\tcarol@example.org',
			'Date: Sun, 22 Nov 2026 10:42:00 +0100',
			'',
			'Body.'
		].join('\n');
		const parsed = parseMail(text);
		expect(parsed.headers.subject).toBe(
			'A long subject that a mail program folded onto a second line'
		);
		expect(parsed.headers.from).toEqual({ name: 'Renée Müller', address: 'renee@example.org' });
		expect(parsed.headers.to).toEqual(['bob@example.org', 'carol@example.org']);
		expect(parsed.headers.date.toISOString()).toBe('2026-11-22T09:42:00.000Z');
		expect(parsed.body).toBe('Body.');
	});

	it('shows plain text without headers whole, as the body', () => {
		const text = 'Hi Bob,\n\nthis was encrypted by hand with gpg.\nBye: Alice\n';
		const parsed = parseMail(text);
		expect(parsed.body).toBe(text);
		expect(parsed.headers).toMatchObject({ subject: '', to: [], messageId: '' });
		expect(parsed.headers.from).toEqual({ name: '', address: '' });
		expect(parsed.headers.date.getTime()).toBe(0);
	});

	it('survives a missing or malformed date', () => {
		const parsed = parseMail('Subject: hi\r\nDate: yesterday-ish\r\n\r\nbody');
		expect(parsed.headers.date.getTime()).toBe(0);
		expect(parsed.headers.subject).toBe('hi');
	});
});
