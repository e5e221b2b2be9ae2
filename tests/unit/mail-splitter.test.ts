// The streaming mbox splitter gives the same letters however the file is cut into chunks (a
// chunk may end inside a line, between CR and LF, or inside a "From " line), holds no more of
// a letter than it may have, and names letters by Message-ID or, lacking one, by their text.
import { describe, expect, it } from 'vitest';
import { MailSplitter, letterIdentity, splitMailFile } from '../../src/lib/client/mail-file';

const MBOX = [
	'From carol@example.org Tue Mar  3 10:00:00 2026',
	'From: carol@example.org',
	'Message-ID:',
	' <one@example.org>',
	'',
	'>From the start, quoted.',
	'',
	'',
	'From dave@example.org Tue Mar  3 10:01:00 2026',
	'From: dave@example.org',
	'',
	'Two.'
].join('\r\n');

function inChunks(text: string, size: number, splitter = new MailSplitter()): string[] {
	const letters: string[] = [];
	for (let at = 0; at < text.length; at += size)
		letters.push(...splitter.push(text.slice(at, at + size)));
	return [...letters, ...splitter.end()];
}

describe('MailSplitter', () => {
	it('splits the same way for every chunk size', () => {
		const whole = splitMailFile(MBOX);
		expect(whole).toEqual([
			'From: carol@example.org\nMessage-ID:\n <one@example.org>\n\nFrom the start, quoted.\n',
			'From: dave@example.org\n\nTwo.'
		]);
		for (let size = 1; size <= MBOX.length; size += 1) expect(inChunks(MBOX, size)).toEqual(whole);
	});

	it('keeps a single .eml whole, and an empty file has no letters', () => {
		expect(inChunks('From: a@example.org\r\n\r\nHi\r\n', 3)).toEqual([
			'From: a@example.org\n\nHi\n'
		]);
		expect(inChunks('  \n', 1)).toEqual([]);
	});

	it('cuts a letter longer than allowed, even one long line, and goes on with the next', () => {
		const long = `From x@example.org Tue Mar  3 10:00:00 2026\nFrom: x@example.org\n\n${'a'.repeat(5000)}\n`;
		const letters = inChunks(`${long}${long}`, 100, new MailSplitter(1000));
		expect(letters).toHaveLength(2);
		for (const letter of letters) expect(letter.length).toBeLessThan(1200);
	});

	it('names a letter by its Message-ID (unfolded), or by all its text', () => {
		const [one, two] = splitMailFile(MBOX);
		expect(letterIdentity(one!)).toBe('message-id <one@example.org>');
		expect(letterIdentity(two!)).toBe(`content ${two}`);
	});
});
