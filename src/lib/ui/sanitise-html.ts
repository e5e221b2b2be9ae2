// HTML mail, made inert. DOMPurify removes scripts, event handlers and dangerous URLs; on top of
// that this keeps only simple formatting: no styles (CSS can fetch with url() and leak what is
// read), no forms, no media, no SVG or MathML, no remote images (tracking pixels), and no link
// targets (links are listed under the message, where following one takes a confirmed click).
// The result is shown in a sandboxed frame without scripts or same-origin, under its own CSP.
import { sanitiseHtmlStrings as strings } from '$lib/strings/sanitise-html';
import type { DOMPurify } from 'dompurify';
import { safeHref } from './links';

export interface SanitisedHtml {
	/** A complete document for the frame's srcdoc. */
	document: string;
	/** Links the sender put in the message (http, https, mailto only), in order. */
	links: string[];
	/** Remote images that were removed. */
	blockedImages: number;
}

/** Inline images only, as data: URLs of raster formats; they cannot reach the network. */
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpeg|webp);base64,[a-z0-9+/=\s]+$/i;

/** The frame's own policy, on top of the app's, which a srcdoc frame inherits. */
const FRAME_CSP = "default-src 'none'; img-src data:; style-src 'none'; form-action 'none'";

const FORBID_TAGS = [
	'style',
	'link',
	'meta',
	'base',
	'form',
	'input',
	'button',
	'textarea',
	'select',
	'option',
	'iframe',
	'frame',
	'frameset',
	'object',
	'embed',
	'video',
	'audio',
	'source',
	'track',
	'picture',
	'template',
	'noscript',
	'dialog',
	'portal'
];
const FORBID_ATTR = [
	'style',
	'srcset',
	'action',
	'formaction',
	'background',
	'poster',
	'ping',
	'usemap',
	'lowsrc',
	'dynsrc',
	'longdesc',
	'cite',
	'target',
	'id',
	'name'
];

export function sanitiseHtml(purify: DOMPurify, html: string): SanitisedHtml {
	const links: string[] = [];
	let blockedImages = 0;
	purify.addHook('afterSanitizeAttributes', (node) => {
		if (node.tagName === 'A') {
			const href = safeHref(node.getAttribute('href') ?? '');
			if (href && !links.includes(href)) links.push(href);
			node.removeAttribute('href');
		}
		if (node.tagName === 'IMG') {
			const src = node.getAttribute('src') ?? '';
			if (!INLINE_IMAGE.test(src)) {
				node.removeAttribute('src');
				node.setAttribute('alt', strings.remoteImageBlocked);
				blockedImages += 1;
			}
		}
	});
	try {
		const body = purify.sanitize(html, {
			USE_PROFILES: { html: true },
			FORBID_TAGS,
			FORBID_ATTR,
			ALLOW_DATA_ATTR: false,
			ALLOW_ARIA_ATTR: false
		});
		const document = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"></head><body>${body}</body></html>`;
		return { document, links, blockedImages };
	} finally {
		purify.removeHook('afterSanitizeAttributes');
	}
}
