// The security headers of every response, in plain JavaScript because three places read them:
// svelte.config.js (SvelteKit's CSP for pages), src/hooks.server.ts (pages, relay API) and
// scripts/serve.js (static files and workers, which adapter-node serves before any hook runs).

/** Content-Security-Policy. Keys live in this origin, so injected script would be total
 * compromise: scripts come only from the origin (SvelteKit adds the hash of its one inline boot
 * script for pages), nothing is loaded from or sent to any other origin, and no one may frame
 * the app. */
export const CSP_DIRECTIVES = {
	'default-src': ['none'],
	'script-src': ['self'],
	// The crypto worker is a module worker under /_app/immutable/workers/.
	'worker-src': ['self'],
	'style-src': ['self'],
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

const KEYWORDS = new Set(['none', 'self', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic']);

/** @param {Record<string, string[]>} directives */
export function serialiseCsp(directives) {
	return Object.entries(directives)
		.map(([name, values]) =>
			[name, ...values.map((value) => (KEYWORDS.has(value) ? `'${value}'` : value))].join(' ')
		)
		.join('; ');
}

/** Headers for every response, whatever serves it. */
export const SECURITY_HEADERS = {
	'referrer-policy': 'no-referrer',
	'x-content-type-options': 'nosniff',
	'permissions-policy':
		'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()',
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-resource-policy': 'same-origin',
	'x-frame-options': 'DENY'
};

/** For responses that are not pages (scripts, styles, JSON): a worker or service worker runs
 * under the policy of its own script's response, so scripts get the same policy as pages. */
export const ASSET_CSP = serialiseCsp(CSP_DIRECTIVES);
