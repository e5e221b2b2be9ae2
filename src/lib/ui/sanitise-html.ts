// HTML mail, made inert. DOMPurify removes scripts, event handlers and dangerous URLs; on top of
// that this keeps only simple formatting: no styles (CSS can fetch with url() and leak what is
// read), no forms, no media, no SVG or MathML, no remote images (tracking pixels), and no link
// targets: every URL in any attribute of any element is taken out, and the web links among them
// are listed under the message, where following one takes a confirmed click. Removing an element
// never removes the letter's text: an element's content stays, and a trick that hides the rest
// of the letter inside one (an unclosed <title>, <template>, <style>, comment, …) is undone.
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
const FORBID_ATTR = ['style', 'target', 'id', 'name'];

/** Every attribute that holds a URL (or several) on some element, in HTML, SVG or MathML. None
 * survives: a web URL among them is listed as a link, the rest are dropped. An inline image's
 * `src` on <img> is the one URL kept. */
export const URL_ATTRIBUTES = [
	'href',
	'xlink:href',
	'src',
	'srcset',
	'imagesrcset',
	'lowsrc',
	'dynsrc',
	'action',
	'formaction',
	'poster',
	'background',
	'cite',
	'longdesc',
	'usemap',
	'data',
	'codebase',
	'classid',
	'archive',
	'ping',
	'manifest',
	'profile',
	'icon',
	'itemtype',
	'itemid',
	'xml:base'
];

/** Only code is dropped with its element. DOMPurify's default list also drops the content of
 * <noscript>, <title>, <svg>, <template> and more, and one unclosed such tag hides the rest of
 * a letter from its reader. */
const FORBID_CONTENTS = ['script', 'style'];

/** Elements whose content the HTML parser reads as text to their end tag (or, for <template>,
 * puts in a separate fragment): unclosed, one swallows the rest of the letter. */
const SWALLOWING = new Set([
	'title',
	'textarea',
	'style',
	'script',
	'xmp',
	'iframe',
	'noembed',
	'noframes',
	'plaintext',
	'template'
]);

/** Attributes that list several URLs, separated by white space (and commas, with sizes, in
 * srcset); every other one holds a single URL. */
const URL_LISTS = new Set(['srcset', 'imagesrcset', 'ping', 'archive']);

/** The web links (http, https, mailto) in an attribute's value. */
function webLinks(name: string, value: string): string[] {
	const parts = URL_LISTS.has(name) ? value.split(/[\s,]+/) : [value.trim()];
	return parts.map((part) => safeHref(part)).filter((href) => href !== undefined);
}

/** True when nothing follows `node` in its document: an element the parser kept open to the end. */
function isLast(node: Node): boolean {
	for (let at: Node | null = node; at && at.nodeName !== 'BODY'; at = at.parentNode) {
		if (at.nextSibling) return false;
	}
	return true;
}

/** An element that swallowed the rest of the letter gives it back: its text (or a template's
 * fragment) is parsed as the HTML it was meant to be and put after it, where it is sanitised
 * like the rest. */
function giveBackSwallowed(element: Element): void {
	const name = element.nodeName.toLowerCase();
	if (name === 'noscript') {
		// Parsed with scripting off, its content is ordinary markup, which a reader without
		// scripts is meant to see; DOMPurify would drop it whole, closed or not.
		element.after(...element.childNodes);
		return;
	}
	if (!SWALLOWING.has(name) || !isLast(element)) return;
	const document = element.ownerDocument;
	let rest: DocumentFragment;
	if (name === 'template') {
		rest = (element as HTMLTemplateElement).content;
	} else {
		const parsed = document.createElement('template');
		parsed.innerHTML = element.textContent ?? '';
		rest = parsed.content;
	}
	element.replaceChildren();
	element.after(rest);
}

/** An unclosed comment hides everything after it; its opening is dropped so the rest is read.
 * One pass from comment to comment, each ended by the first `-->` as the HTML parser ends it. */
function openUnclosedComment(html: string): string {
	for (let start = html.indexOf('<!--'); start !== -1;) {
		const end = html.indexOf('-->', start + 2);
		if (end === -1) return html.slice(0, start) + html.slice(start + 4);
		start = html.indexOf('<!--', end + 3);
	}
	return html;
}

export function sanitiseHtml(purify: DOMPurify, html: string): SanitisedHtml {
	const links: string[] = [];
	let blockedImages = 0;
	// Before DOMPurify decides anything, so that the URLs of elements it removes are seen too.
	purify.addHook('uponSanitizeElement', (node) => {
		if (node.nodeType !== 1) return;
		const element = node as Element;
		for (const name of URL_ATTRIBUTES) {
			const value = element.getAttribute(name);
			if (value === null || (name === 'src' && element.nodeName === 'IMG')) continue;
			for (const href of webLinks(name, value)) if (!links.includes(href)) links.push(href);
			element.removeAttribute(name);
		}
		giveBackSwallowed(element);
	});
	purify.addHook('afterSanitizeAttributes', (node) => {
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
		const body = purify.sanitize(openUnclosedComment(html), {
			USE_PROFILES: { html: true },
			FORBID_TAGS,
			FORBID_ATTR,
			FORBID_CONTENTS,
			ALLOW_DATA_ATTR: false,
			ALLOW_ARIA_ATTR: false
		});
		const document = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}"></head><body>${body}</body></html>`;
		return { document, links, blockedImages };
	} finally {
		purify.removeHook('uponSanitizeElement');
		purify.removeHook('afterSanitizeAttributes');
	}
}
