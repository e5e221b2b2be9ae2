// Hostile HTML mail against the real sanitiser (DOMPurify and our rules on top) in a real
// Chromium, as the reader's page runs it: no URL survives in any attribute of any element, the
// web links among them are listed under the letter, and no trick hides the rest of its text.
import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SanitisedHtml } from '../../src/lib/ui/sanitise-html';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/chromium';

const SRC_LIB = fileURLToPath(new URL('../../src/lib', import.meta.url));
/** The test's own list of attributes that carry URLs (HTML, SVG, MathML), not the sanitiser's. */
const URL_ATTRIBUTES = [
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
	'icon'
];
/** One transparent pixel: the only kind of image (an inline one) that keeps its `src`. */
const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';

let browser: Browser;
let page: Page;

beforeAll(async () => {
	const bundled = await build({
		stdin: {
			contents: `import purify from 'dompurify';
import { sanitiseHtml } from '$lib/ui/sanitise-html';
window.sanitise = (html) => sanitiseHtml(purify, html);`,
			resolveDir: SRC_LIB,
			loader: 'ts'
		},
		alias: { $lib: SRC_LIB },
		bundle: true,
		format: 'iife',
		target: 'es2022',
		write: false
	});
	browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
	page = await browser.newPage();
	await page.setContent('<!doctype html><html><body></body></html>');
	await page.addScriptTag({ content: bundled.outputFiles[0]!.text });
}, 60_000);
afterAll(() => browser?.close());

interface Result extends SanitisedHtml {
	/** The body's text as the frame would show it. */
	text: string;
	/** `element attribute=value` for every URL attribute left in the document. */
	urls: string[];
}

/** Sanitises `html` in the page and reads the result back as the frame would parse it. */
function sanitise(html: string): Promise<Result> {
	return page.evaluate(
		({ html, names }) => {
			const result = (window as unknown as { sanitise: (html: string) => SanitisedHtml }).sanitise(
				html
			);
			const parsed = new DOMParser().parseFromString(result.document, 'text/html');
			const urls = [...parsed.body.querySelectorAll('*')].flatMap((element) =>
				[...element.attributes]
					.filter((attribute) => names.includes(attribute.name.toLowerCase()))
					.map((attribute) => `${element.localName} ${attribute.name}=${attribute.value}`)
			);
			return { ...result, text: parsed.body.textContent ?? '', urls };
		},
		{ html, names: URL_ATTRIBUTES }
	);
}

describe('URLs in HTML mail', () => {
	it('no element keeps a URL attribute; the web links among them are listed, to open after confirmation', async () => {
		const result = await sanitise(
			[
				`<img usemap="#m" src="${PIXEL}" alt="map"><map name="m">`,
				'<area shape="rect" coords="0,0,1,1" href="https://example.org/area"></map>',
				'<blockquote cite="https://example.org/cite">Quoted.</blockquote>',
				'<table background="https://example.org/table.png"><tr><td>cell</td></tr></table>',
				`<img src="${PIXEL}" srcset="https://example.org/1x.png 1x, https://example.org/2x.png 2x">`,
				`<img src="${PIXEL}" longdesc="https://example.org/longdesc" lowsrc="https://example.org/low">`,
				'<a href="https://example.org/a" ping="https://example.org/ping1 https://example.org/ping2">a link</a>',
				'<form action="https://example.org/form"><button formaction="https://example.org/formaction">b</button></form>',
				'<video poster="https://example.org/poster.png"></video>',
				'<object data="https://example.org/object"></object>',
				'<svg><a xlink:href="https://example.org/svg"><text>svg link</text></a></svg>',
				'<q cite="javascript:window.top.__pwned=1">javascript</q>',
				'<ins cite="data:text/html,x">data</ins>'
			].join('\n')
		);
		expect(result.urls).toEqual([`img src=${PIXEL}`, `img src=${PIXEL}`, `img src=${PIXEL}`]);
		expect(result.links).toEqual([
			'https://example.org/area',
			'https://example.org/cite',
			'https://example.org/table.png',
			'https://example.org/1x.png',
			'https://example.org/2x.png',
			'https://example.org/low',
			'https://example.org/longdesc',
			'https://example.org/a',
			'https://example.org/ping1',
			'https://example.org/ping2',
			'https://example.org/form',
			'https://example.org/formaction',
			'https://example.org/poster.png',
			'https://example.org/object',
			'https://example.org/svg'
		]);
	});
});

describe('the text of HTML mail', () => {
	// Each trick hides what follows it from the reader: the parser keeps the element open to the
	// end of the letter (or the comment never ends), and the element is one the sanitiser drops.
	const TRICKS: Record<string, string> = {
		noscript: '<noscript>',
		template: '<template>',
		title: '<title>',
		'unclosed comment': '<!-- ',
		style: '<style>',
		script: '<script>',
		textarea: '<textarea>',
		xmp: '<xmp>',
		iframe: '<iframe>',
		noembed: '<noembed>',
		noframes: '<noframes>',
		plaintext: '<plaintext>',
		svg: '<svg>',
		math: '<math>',
		'closed noscript': '<noscript><p>fallback</p></noscript>'
	};
	for (const [name, trick] of Object.entries(TRICKS)) {
		it(`the text after ${name} is still shown`, async () => {
			const result = await sanitise(
				`<p>Before the trick.</p>${trick}<p>The rest of the letter, with <a href="https://example.org/after">a link</a>.</p>`
			);
			expect(result.text).toContain('Before the trick.');
			expect(result.text).toContain('The rest of the letter, with a link.');
			expect(result.links).toEqual(['https://example.org/after']);
			expect(result.urls).toEqual([]);
			for (const code of ['<script', '<style', '<template', '<noscript', '<iframe', '<svg']) {
				expect(result.document).not.toContain(code);
			}
		});
	}

	it('a style sheet or script that is closed is dropped with its code, and the text around it stays', async () => {
		const result = await sanitise(
			'<style>p { color: red }</style><p>One.</p><script>var x = 1;</script><p>Two.</p>'
		);
		expect(result.text).toBe('One.Two.');
	});
});
