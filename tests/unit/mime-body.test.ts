// Reading mail made by other programs: which part is the text, what type it is, and what is
// listed as an attachment (never rendered).
import { describe, expect, it } from 'vitest';
import { MailFormatError, parseMail } from '../../src/lib/client/mail-format';

const HEAD = 'From: Eve <eve@example.org>\r\nSubject: Hi\r\n';

describe('MIME bodies', () => {
	it('marks a text/html message as HTML and decodes quoted-printable', () => {
		const mail = parseMail(
			`${HEAD}Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Gr=C3=BC=\r\n=C3=9Fe</p>`
		);
		expect(mail.bodyType).toBe('text/html');
		expect(mail.body).toBe('<p>Grüße</p>');
	});

	it('prefers the plain part of multipart/alternative and lists attachments by their claimed names', () => {
		const mail = parseMail(
			[
				`${HEAD}Content-Type: multipart/mixed; boundary="outer"`,
				'',
				'--outer',
				'Content-Type: multipart/alternative; boundary=inner',
				'',
				'--inner',
				'Content-Type: text/html',
				'',
				'<b>rich</b>',
				'--inner',
				'Content-Type: text/plain',
				'',
				'plain',
				'--inner--',
				'--outer',
				'Content-Type: application/pdf; name="x"',
				'Content-Disposition: attachment; filename="invoice\u202Efdp.exe"',
				'Content-Transfer-Encoding: base64',
				'',
				'SGVsbG8=',
				'--outer--'
			].join('\r\n')
		);
		expect(mail.bodyType).toBe('text/plain');
		expect(mail.body).toBe('plain');
		expect(mail.attachments).toEqual([
			{ name: 'invoice\u202Efdp.exe', type: 'application/pdf', size: 5 }
		]);
	});

	it('lists an HTML or SVG attachment instead of showing it', () => {
		const mail = parseMail(
			`${HEAD}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee file.\r\n--b\r\nContent-Type: image/svg+xml\r\nContent-Disposition: attachment; filename=cat.svg\r\n\r\n<svg onload="alert(1)"/>\r\n--b--`
		);
		expect(mail.body).toBe('See file.');
		expect(mail.attachments.map((a) => a.type)).toEqual(['image/svg+xml']);
	});

	it('reports broken base64 as a MailFormatError', () => {
		expect(() => parseMail(`${HEAD}Content-Transfer-Encoding: base64\r\n\r\nQ`)).toThrow(
			MailFormatError
		);
	});
});
