// Text a sender controls: which links become links, and which names, addresses and file names
// are flagged as deceptive.
import { describe, expect, it } from 'vitest';
import { deceptions, reveal } from '../../src/lib/ui/deceptive-text';
import { describeTarget, linkify } from '../../src/lib/ui/links';

describe('linkify', () => {
	it('links http, https and mailto only, without trailing punctuation', () => {
		const segments = linkify(
			'See https://example.org/a?b=1. Or mailto:bob@example.org, not javascript:alert(1) nor data:text/html,<b>x</b> nor file:///etc/passwd.'
		);
		const links = segments.filter((s) => 'href' in s).map((s) => (s as { href: string }).href);
		expect(links).toEqual(['https://example.org/a?b=1', 'mailto:bob@example.org']);
		expect(segments.map((s) => s.text).join('')).toBe(
			'See https://example.org/a?b=1. Or mailto:bob@example.org, not javascript:alert(1) nor data:text/html,<b>x</b> nor file:///etc/passwd.'
		);
	});

	it('shows the real host of a look-alike international name', () => {
		// Cyrillic letters that look like "paypal".
		const target = describeTarget('https://раураl.com/login');
		expect(target.host).toMatch(/^xn--[a-z0-9-]+\.com$/);
		expect(target.full).toBe(`https://${target.host}/login`);
	});
});

describe('deceptions', () => {
	it('flags bidi controls and reveals them in place', () => {
		const name = 'invoice\u202Efdp.exe';
		expect(deceptions(name)).toEqual(['bidi']);
		expect(reveal(name)).toBe('invoice[U+202E]fdp.exe');
	});

	it('flags look-alike addresses and mixed scripts, not ordinary names', () => {
		expect(deceptions('аlice@localhost', 'address')).toEqual([
			'mixed-scripts',
			'non-ascii-address'
		]);
		expect(deceptions('раура@localhost', 'address')).toEqual(['non-ascii-address']);
		expect(deceptions('Zoë O’Brien')).toEqual([]);
		expect(deceptions('Дмитрий Петров')).toEqual([]);
		expect(deceptions('alice@localhost', 'address')).toEqual([]);
		expect(deceptions('a\u200Bdmin')).toEqual(['invisible']);
		expect(deceptions('ceo@example.org', 'name')).toEqual(['address-in-name']);
		expect(deceptions('Grüße ✉️ 👩‍💻')).toEqual([]);
	});
});
