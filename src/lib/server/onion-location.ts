// The Onion-Location header tells Tor Browser that this page is also served as an onion
// service, so it can offer to switch. It is only meaningful on the clear-web origin.

/** `Onion-Location` for a page at `url`, given the mirror's origin (e.g. `http://abc….onion`);
 * undefined when no mirror is configured or the page is already served over the onion. */
export function onionLocation(mirror: string | undefined, url: URL): string | undefined {
	if (!mirror || url.hostname.endsWith('.onion')) return undefined;
	const origin = new URL(mirror).origin;
	return `${origin}${url.pathname}${url.search}`;
}
