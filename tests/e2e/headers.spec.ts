// The headers that make injected script and framing useless and keep every request on this
// origin, on pages, relay answers and static files alike (the crypto worker runs under the
// policy of its own script's response), and the Onion-Location cue for Tor Browser.
import { expect, test } from '@playwright/test';
import { cryptoWorkerPath } from '../../bench/lib/build-output';
import { ONION_MIRROR } from '../../playwright.config';

const COMMON = {
	'referrer-policy': 'no-referrer',
	'x-content-type-options': 'nosniff',
	'cross-origin-opener-policy': 'same-origin',
	'x-frame-options': 'DENY'
};

function directives(policy: string): Map<string, string[]> {
	return new Map(
		policy.split(';').map((part) => {
			const [name = '', ...values] = part.trim().split(/\s+/);
			return [name, values];
		})
	);
}

function expectStrictPolicy(policy: string | undefined): void {
	expect(policy).toBeTruthy();
	const csp = directives(policy!);
	expect(csp.get('default-src')).toEqual(["'none'"]);
	expect(csp.get('script-src')?.[0]).toBe("'self'");
	// Only hashes besides 'self': no 'unsafe-inline', no 'unsafe-eval', no hosts.
	for (const source of csp.get('script-src')!.slice(1)) expect(source).toMatch(/^'sha256-/);
	expect(csp.get('connect-src')).toEqual(["'self'"]);
	expect(csp.get('worker-src')).toEqual(["'self'"]);
	expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
	expect(csp.get('object-src')).toEqual(["'none'"]);
	expect(csp.get('base-uri')).toEqual(["'none'"]);
	expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
}

test('pages, relay answers and static files carry the security headers', async ({ request }) => {
	const page = await request.get('/mail?folder=inbox');
	const api = await request.get('/api/info');
	const html = await page.text();
	const entry = /import\("(\.\/_app\/immutable\/entry\/start[^"]+)"\)/.exec(html)?.[1];
	expect(entry).toBeTruthy();
	const script = await request.get(entry!.slice(1));
	expect(script.ok()).toBe(true);
	for (const response of [page, api, script]) {
		expect(response.headers()).toMatchObject(COMMON);
		// The camera only for the app itself (scanning a contact's code), never for a frame.
		expect(response.headers()['permissions-policy']).toContain('camera=(self)');
		expect(response.headers()['permissions-policy']).toContain('microphone=()');
		expectStrictPolicy(response.headers()['content-security-policy']);
	}
	// Only pages advertise the onion mirror, at the same path.
	expect(page.headers()['onion-location']).toBe(`${ONION_MIRROR}/mail?folder=inbox`);
	expect(api.headers()['onion-location']).toBeUndefined();
	// Pages reached over the onion itself do not point at it again.
	const viaOnion = await request.get('/', { headers: { host: new URL(ONION_MIRROR).host } });
	expect(viaOnion.ok()).toBe(true);
	expect(viaOnion.headers()['onion-location']).toBeUndefined();
	// The app's HTML refers to its own files by relative paths only, so any origin works.
	expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
	expect(html).toContain('<noscript>');
});

test('built files are kept for good and only the page is asked for again', async ({ request }) => {
	// A warm visit on Tor then costs one round trip (the page), not one per file: every built
	// file's name changes with its content, so the browser may keep it without asking again.
	const page = await request.get('/');
	const entry = /import\("\.(\/_app\/immutable\/entry\/start[^"]+)"\)/.exec(await page.text())?.[1];
	for (const path of [entry!, cryptoWorkerPath()]) {
		const file = await request.get(path);
		expect(file.ok()).toBe(true);
		expect(file.headers()['cache-control']).toMatch(/immutable/);
		expect(file.headers()['cache-control']).toMatch(/max-age=31536000/);
	}
	expect(page.headers()['cache-control'] ?? '').not.toMatch(/immutable|max-age=[1-9]/);
});

test('a revalidated page keeps its own policy: a 304 brings no other one', async ({ request }) => {
	const page = await request.get('/');
	const etag = page.headers()['etag'];
	expect(etag).toBeTruthy();
	const again = await request.get('/', { headers: { 'if-none-match': etag! } });
	expect(again.status()).toBe(304);
	expect(again.headers()['content-security-policy']).toBeUndefined();
});

test('the Web Key Directory stays readable from other origins', async ({ request }) => {
	const policy = await request.get('/.well-known/openpgpkey/policy');
	expect(policy.headers()['access-control-allow-origin']).toBe('*');
	expect(policy.headers()['cross-origin-resource-policy']).toBe('cross-origin');
});
