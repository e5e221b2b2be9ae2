// The security headers of every response, in plain JavaScript because three places read them:
// svelte.config.js (SvelteKit's CSP for pages), src/hooks.server.ts (pages, relay API) and
// scripts/serve.js (static files and workers, which adapter-node serves before any hook runs).

/** SHA-256 of `position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%);
 * overflow: hidden; white-space: nowrap; width: 1px; height: 1px` (one line), the style of
 * SvelteKit's #svelte-announcer. If SvelteKit changes it, the end-to-end tests report a violation. */
const SVELTEKIT_ANNOUNCER_STYLE = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

/** Content-Security-Policy. Keys live in this origin, so injected script would be total
 * compromise: scripts come only from the origin (SvelteKit adds the hash of its one inline boot
 * script for pages), nothing is loaded from or sent to any other origin, and no one may frame
 * the app. */
export const CSP_DIRECTIVES = {
	'default-src': ['none'],
	'script-src': ['self'],
	// The crypto worker is a module worker under /_app/immutable/workers/.
	'worker-src': ['self'],
	// SvelteKit's route announcer (for screen readers) carries one fixed style attribute; its hash
	// admits exactly that attribute value and no other inline style.
	'style-src': ['self', 'unsafe-hashes', SVELTEKIT_ANNOUNCER_STYLE],
	// data: only for images inside sanitised HTML mail, whose sandboxed frame inherits this policy.
	'img-src': ['self', 'data:'],
	'connect-src': ['self'],
	'manifest-src': ['self'],
	// HTML mail is shown in a srcdoc frame, which frame-src does not govern; nothing else frames.
	'frame-src': ['none'],
	'form-action': ['self'],
	'frame-ancestors': ['none'],
	'object-src': ['none'],
	'base-uri': ['none']
};

const KEYWORDS = new Set(['none', 'self', 'unsafe-inline', 'unsafe-eval', 'unsafe-hashes']);

/** Keywords and hashes are quoted in a policy; schemes and hosts are not.
 * @param {string} value */
const quoted = (value) => KEYWORDS.has(value) || value.startsWith('sha256-');

/** @param {Record<string, string[]>} directives */
export function serialiseCsp(directives) {
	return Object.entries(directives)
		.map(([name, values]) =>
			[name, ...values.map((value) => (quoted(value) ? `'${value}'` : value))].join(' ')
		)
		.join('; ');
}

/** Headers for every response, whatever serves it. */
export const SECURITY_HEADERS = {
	'referrer-policy': 'no-referrer',
	'x-content-type-options': 'nosniff',
	'permissions-policy':
		'accelerometer=(), camera=(self), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()',
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-resource-policy': 'same-origin',
	'x-frame-options': 'DENY'
};

/** For responses that are not pages (scripts, styles, JSON): a worker or service worker runs
 * under the policy of its own script's response, so scripts get the same policy as pages. */
export const ASSET_CSP = serialiseCsp(CSP_DIRECTIVES);
