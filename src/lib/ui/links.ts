// Finds links in plain-text mail. Only http, https and mailto become links; anything else
// (javascript:, data:, file:, …) stays text. A link is never followed without a click that
// first shows its full, real target.

export type Segment = { text: string } | { text: string; href: string };

// Linear: each match runs to the first character that cannot be in it, with nothing to retry.
const CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = new Set('.,;:!?)]}>\'"');

/** `raw` without its trailing punctuation. A loop, not /[…]+$/: that pattern retries from every
 * punctuation mark of a long run and is quadratic in the run's length. */
function withoutTrailing(raw: string): string {
	let end = raw.length;
	while (end > 0 && TRAILING.has(raw[end - 1]!)) end -= 1;
	return raw.slice(0, end);
}

export function safeHref(text: string): string | undefined {
	try {
		const url = new URL(text);
		return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
	} catch {
		return undefined;
	}
}

export function linkify(text: string): Segment[] {
	const segments: Segment[] = [];
	let last = 0;
	for (const match of text.matchAll(CANDIDATE)) {
		const raw = withoutTrailing(match[0]);
		const href = safeHref(raw);
		if (!href) continue;
		if (match.index > last) segments.push({ text: text.slice(last, match.index) });
		segments.push({ text: raw, href });
		last = match.index + raw.length;
	}
	if (last < text.length) segments.push({ text: text.slice(last) });
	return segments;
}

/** What the reader is asked to confirm: the whole URL, with an international host name in its
 * real (punycode) form, since look-alike letters hide there. */
export function describeTarget(href: string): { full: string; host: string } {
	const url = new URL(href);
	return { full: url.href, host: url.protocol === 'mailto:' ? url.pathname : url.host };
}
