// Manifests inside the mail: they survive the MIME round trip with the body, a hostile file
// name cannot break out of its part, and a part that is not a valid manifest is only listed.
import { describe, expect, it } from 'vitest';
import type { AttachmentManifest } from '../../src/lib/client/attachment-manifest';
import { formatMail, parseMail, type Mail } from '../../src/lib/client/mail-format';

const manifest = (name: string): AttachmentManifest => ({
	v: 1,
	name,
	type: 'application/pdf',
	size: 9_000_000,
	cipher: 'openpgp-seipd1',
	algorithm: 'aes256',
	key: 'ab'.repeat(32),
	blockSize: 8 * 1024 * 1024,
	blocks: [
		{ sha256: '01'.repeat(32), size: 8_388_659 },
		{ sha256: '02'.repeat(32), size: 611_459 }
	]
});

const mail = (manifests: AttachmentManifest[]): Mail => ({
	headers: {
		subject: 'Report',
		from: { name: 'Alice', address: 'alice@example.org' },
		to: ['bob@example.org'],
		date: new Date('2026-05-03T10:42:17Z'),
		messageId: 'id@example.org'
	},
	body: 'See attached.\n--\nAlice',
	manifests
});

describe('attachment manifests in the mail', () => {
	it('round-trips the body and every manifest', () => {
		const first = manifest('report.pdf');
		const second = manifest('second copy.pdf');
		const parsed = parseMail(formatMail(mail([first, second])));
		expect(parsed.body).toBe('See attached.\n--\nAlice');
		expect(parsed.headers.subject).toBe('Report');
		expect(parsed.attachments).toEqual([
			{ name: 'report.pdf', type: 'application/pdf', size: 9_000_000, manifest: first },
			{ name: 'second copy.pdf', type: 'application/pdf', size: 9_000_000, manifest: second }
		]);
	});

	it('keeps a name with line breaks and boundary-like text inside its own part', () => {
		const text = formatMail(mail([manifest('a\r\n--letterlock-x--\r\n\r\nevil')]));
		const parsed = parseMail(text);
		expect(parsed.attachments).toHaveLength(1);
		expect(parsed.attachments[0]!.manifest?.name).toBe('a\r\n--letterlock-x--\r\n\r\nevil');
		expect(parsed.body).toBe('See attached.\n--\nAlice');
	});

	it('lists a part that is not a valid manifest without a manifest', () => {
		const text = formatMail(mail([manifest('x.bin')])).replace('"v":1', '"v":2');
		const [listed] = parseMail(text).attachments;
		expect(listed?.manifest).toBeUndefined();
		expect(listed?.type).toBe('application/vnd.letterlock.attachment+json');
	});
});
