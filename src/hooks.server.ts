// Every response SvelteKit makes (pages; the relay API and WKD under `vite dev`, since
// scripts/serve.js answers those itself) carries the security headers; static files and the
// relay's answers get the same from scripts/serve.js. Pages on the clear-web origin also advertise the
// onion mirror when ONION_LOCATION is set.
import type { Handle, ServerInit } from '@sveltejs/kit';
import { building } from '$app/environment';
import { env } from '$env/dynamic/private';
import { ASSET_CSP, SECURITY_HEADERS } from '$lib/security/headers.js';
import { getRelay, offerRelayListener } from '$lib/server/instance';
import { onionLocation } from '$lib/server/onion-location';

/** The relay, and with it the outbound queue's worker, starts with the server rather than on the
 * first API request, so mail queued before a restart leaves without waiting for a visitor. */
export const init: ServerInit = async () => {
	if (building) return;
	// scripts/serve.js then sends the relay's paths straight to the relay core, past SvelteKit.
	offerRelayListener();
	// A failure (e.g. PostgreSQL not up yet) is retried by the first request.
	await getRelay().catch(() => undefined);
};

export const handle: Handle = async ({ event, resolve }) => {
	// A copy, because some responses (e.g. redirects) have immutable headers.
	const original = await resolve(event);
	const response = new Response(original.body, original);
	const headers = response.headers;
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!headers.has(name)) headers.set(name, value);
	}
	const isPage = headers.get('content-type')?.startsWith('text/html') ?? false;
	// Pages get SvelteKit's own policy, which includes the boot script's hash.
	// A 304 carries no policy, so that the one stored with the page stays (see scripts/serve.js).
	if (!isPage && response.status !== 304 && !headers.has('content-security-policy')) {
		headers.set('content-security-policy', ASSET_CSP);
	}
	const onion = isPage
		? onionLocation(env.ONION_LOCATION, event.url, event.request.headers.get('host'))
		: undefined;
	if (onion) headers.set('onion-location', onion);
	return response;
};
