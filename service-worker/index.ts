/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The service worker: opens the app with no network once visited, and delivers the outbox in
// the background. It caches only the built app (a versioned cache per build); relay API
// responses, which hold mail, are never cached here.
import { build, files, version } from '$service-worker';
import { persistentDb } from '$lib/client/local-db';
import { OUTBOX_CHANGED, SYNC_TAG } from '$lib/client/outbox';
import { deliverOutbox } from '$lib/client/outbox-delivery';
import { DOWNLOAD_PATH, OfferedDownloads } from '$lib/client/stream-download';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `letterlock-shell-${version}`;
/** Every page is the same client-rendered shell, so '/' answers any navigation offline. */
const SHELL_PAGE = '/';
const PRECACHED = new Set([...build, ...files, SHELL_PAGE]);
/** Attachments the pages stream to the browser's download (see stream-download.ts). */
const downloads = new OfferedDownloads();

/** Background Sync's event is not in TypeScript's worker library yet. */
interface SyncEvent extends ExtendableEvent {
	tag: string;
}

sw.addEventListener('install', (event) => {
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([...PRECACHED])));
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))
			)
			// Take the open pages too: the one that installed the first version gets a controller,
			// so that a later update's takeover reaches it (and reloads it, on the user's word).
			.then(() => sw.clients.claim())
	);
});

// A new version waits until the page, on the user's word, asks it to take over.
sw.addEventListener('message', (event) => {
	if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void sw.skipWaiting();
	else downloads.accept(event.data, event.ports);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
	// The relay's answers, and its documents for other programs (WKD, the relay key), are never
	// the app's.
	if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/.well-known/')) return;
	if (url.pathname.startsWith(DOWNLOAD_PATH)) {
		event.respondWith(downloads.respond(url));
	} else if (request.mode === 'navigate') {
		// Every page is the shell of this worker's own version, so it comes from the cache at once,
		// online or not: a returning visit waits for no round trip. A new version arrives as a new
		// worker, which the person lets take over (see ui/service-worker.ts).
		event.respondWith(cached(SHELL_PAGE, request));
	} else if (PRECACHED.has(url.pathname)) {
		event.respondWith(cached(url.pathname, request));
	}
});

async function cached(path: string, request: Request): Promise<Response> {
	return (await caches.match(path, { cacheName: CACHE })) ?? fetch(request);
}

sw.addEventListener('sync', (event) => {
	const sync = event as SyncEvent;
	if (sync.tag === SYNC_TAG) sync.waitUntil(deliverInBackground());
});

async function deliverInBackground(): Promise<void> {
	const result = await deliverOutbox(await persistentDb(), {
		relayBase: sw.location.origin,
		onChange: () => void tellPages()
	});
	// Failing the event makes the browser try the sync again later, with its own backoff.
	if (result.retrying > 0) throw new Error('Some queued mail could not be delivered yet.');
}

async function tellPages(): Promise<void> {
	for (const client of await sw.clients.matchAll({ type: 'window' })) {
		client.postMessage(OUTBOX_CHANGED);
	}
}
