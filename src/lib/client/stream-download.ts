// Saving an attachment as a stream through the service worker: the page decrypts block by block
// into a stream it hands to the service worker (streams are transferable), then navigates to a
// one-time URL that the service worker answers with that stream as an attachment download. The
// browser writes it straight to its downloads folder, so nothing is buffered in the page and
// nothing is copied through the origin private file system first. Both halves live here.

/** The URLs the service worker answers with a download stream: `/attachment-download/<id>`. */
export const DOWNLOAD_PATH = '/attachment-download/';
const OFFER = 'letterlock-download';
/** An offered stream not fetched by then is dropped (the page went away in between). */
const FORGET_AFTER_MS = 60_000;
/** How long the service worker has to take an offer: one from before this feature (the app
 * was updated, the page not yet reloaded) never answers, and the page saves another way. */
const OFFER_TIMEOUT_MS = 10_000;

interface DownloadOffer {
	type: typeof OFFER;
	id: string;
	name: string;
	size: number;
	stream: ReadableStream<Uint8Array>;
}

/** Page side: streams `receive`'s output to the browser's download under `name`. Resolves true
 * when every byte was handed over, false (having started nothing) when the service worker did
 * not take the offer; rejects (and the browser marks the download failed) when `receive` does. */
export async function downloadThroughServiceWorker(
	worker: ServiceWorker,
	file: { name: string; size: number },
	receive: (sink: WritableStreamDefaultWriter<Uint8Array>) => Promise<void>
): Promise<boolean> {
	const id = crypto.randomUUID();
	const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
	const accepted = new MessageChannel();
	const taken = new Promise<boolean>((resolve) => {
		accepted.port1.onmessage = () => resolve(true);
		setTimeout(() => resolve(false), OFFER_TIMEOUT_MS);
	});
	// Only plain fields: the manifest may be a reactive proxy, which cannot be cloned.
	const offer: DownloadOffer = {
		type: OFFER,
		id,
		name: file.name,
		size: file.size,
		stream: readable
	};
	worker.postMessage(offer, [readable, accepted.port2]);
	if (!(await taken)) return false;
	// A download answer does not replace the page: the app stays where it is.
	location.assign(`${DOWNLOAD_PATH}${id}`);
	const writer = writable.getWriter();
	try {
		await receive(writer);
		await writer.close();
	} catch (error) {
		await writer.abort(error).catch(() => {});
		throw error;
	}
	return true;
}

/** Service worker side: keeps offered streams until their URL is fetched, once. */
export class OfferedDownloads {
	readonly #offers = new Map<string, DownloadOffer>();

	/** Takes an offer from a page's message; false when the message is something else. */
	accept(data: unknown, ports: readonly MessagePort[]): boolean {
		const offer = data as Partial<DownloadOffer> | null;
		if (offer?.type !== OFFER || typeof offer.id !== 'string') return false;
		if (!(offer.stream instanceof ReadableStream)) return false;
		this.#offers.set(offer.id, offer as DownloadOffer);
		setTimeout(() => this.#offers.delete(offer.id!), FORGET_AFTER_MS);
		ports[0]?.postMessage('ready');
		return true;
	}

	/** The download for a `DOWNLOAD_PATH` URL; 204 (the page stays, nothing is saved) when the
	 * offer is unknown or already taken, e.g. after the service worker was restarted. */
	respond(url: URL): Response {
		const id = url.pathname.slice(DOWNLOAD_PATH.length);
		const offer = this.#offers.get(id);
		this.#offers.delete(id);
		if (!offer) return new Response(null, { status: 204 });
		return new Response(offer.stream, {
			headers: {
				'content-type': 'application/octet-stream',
				'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(offer.name)}`,
				'content-length': String(offer.size),
				'x-content-type-options': 'nosniff'
			}
		});
	}
}
