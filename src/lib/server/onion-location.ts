// The Onion-Location header tells Tor Browser that this page is also served as an onion
// service, so it can offer to switch. It is only meaningful on the clear-web origin.

/** `Onion-Location` for a page at `url`, given the mirror's origin (e.g. `http://abc….onion`);
 * undefined when no mirror is configured or the request came in over the onion. `host` is the
 * request's Host header: adapter-node builds `url` from ORIGIN, whichever way the request came. */
export function onionLocation(
	mirror: string | undefined,
	url: URL,
	host: string | null
): string | undefined {
	if (!mirror || host?.split(':')[0]?.endsWith('.onion')) return undefined;
	const origin = new URL(mirror).origin;
	return `${origin}${url.pathname}${url.search}`;
}
