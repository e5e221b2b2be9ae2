// The relay core behind node:http with nothing in between: IncomingMessage → Request,
// Response → ServerResponse, and the client's address as adapter-node would name it.
// scripts/serve.js hands /api and /.well-known here before SvelteKit (which cost a no-op request
// more than half its time: a static-file lookup, routing, hooks and a copied Response), and the
// tests' relay server uses the same code, so tests exercise what production runs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Relay } from './relay';
import type { Client } from './router';

/** A body that declares at most this many bytes is read whole before the Request is made: a
 * Request over bytes costs much less than one over a stream, and the relay reads such bodies
 * whole anyway. Larger or undeclared bodies (attachment blocks) stream. */
const WHOLE_BODY_BYTES = 64 * 1024;

/** Where the client's address comes from: the socket, or a header set by a trusted proxy
 * (ADDRESS_HEADER, with XFF_DEPTH for X-Forwarded-For), exactly as adapter-node reads them. */
export interface AddressSource {
	header?: string;
	xffDepth?: number;
}

export function clientOf(req: IncomingMessage, source: AddressSource = {}): Client {
	const header = source.header?.toLowerCase();
	if (!header) return { address: req.socket.remoteAddress ?? 'unknown' };
	const value = req.headers[header];
	// A proxy that did not send the header: such requests share one set of limits.
	if (typeof value !== 'string') return { address: 'unknown' };
	if (header !== 'x-forwarded-for') return { address: value };
	const addresses = value.split(',');
	const depth = source.xffDepth ?? 1;
	const picked = depth >= 1 ? addresses[addresses.length - depth] : undefined;
	return { address: picked?.trim() || 'unknown' };
}

function headersOf(req: IncomingMessage): [string, string][] {
	const pairs: [string, string][] = [];
	const raw = req.rawHeaders;
	for (let index = 0; index < raw.length; index += 2) pairs.push([raw[index]!, raw[index + 1]!]);
	return pairs;
}

function readWhole(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		req.once('error', reject);
		// After 'end' this changes nothing; before it, the client went away mid-body.
		req.once('close', () => reject(new Error('The request body broke off.')));
	});
}

/** The request body as a stream that reads from the socket only as fast as the relay does. */
function streamOf(req: IncomingMessage): ReadableStream<Uint8Array> {
	let cancelled = false;
	return new ReadableStream<Uint8Array>({
		start(controller) {
			req.on('data', (chunk: Buffer) => {
				if (cancelled) return;
				controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
				if ((controller.desiredSize ?? 0) <= 0) req.pause();
			});
			req.once('end', () => cancelled || controller.close());
			req.once('error', (error) => cancelled || controller.error(error));
		},
		pull() {
			req.resume();
		},
		cancel() {
			// Discard the rest instead of cutting the connection, so the client still reads the
			// relay's answer (e.g. a 413).
			cancelled = true;
			req.resume();
		}
	});
}

export async function toRequest(req: IncomingMessage, url: string): Promise<Request> {
	const method = req.method ?? 'GET';
	const headers = headersOf(req);
	if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
	const declared = Number(req.headers['content-length']);
	if (declared <= WHOLE_BODY_BYTES) {
		return new Request(url, { method, headers, body: await readWhole(req) });
	}
	return new Request(url, {
		method,
		headers,
		body: streamOf(req),
		duplex: 'half'
	} as RequestInit);
}

function drained(res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

/** Writes the relay's answer. A body that declares its length and is small (every JSON answer)
 * goes out in one write with the headers; others (blocks, event streams) stream with
 * backpressure, and stop when the client goes away. */
export async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
	res.statusCode = response.status;
	for (const [name, value] of response.headers) {
		if (name !== 'set-cookie') res.setHeader(name, value);
	}
	const cookies = response.headers.getSetCookie();
	if (cookies.length > 0) res.setHeader('set-cookie', cookies);
	if (response.headers.get('content-type') === 'text/event-stream') {
		// Reverse proxies such as nginx would otherwise buffer the stream (as adapter-node says too).
		res.setHeader('x-accel-buffering', 'no');
	}
	if (!response.body) {
		res.end();
		return;
	}
	const declared = Number(response.headers.get('content-length') ?? NaN);
	if (declared <= WHOLE_BODY_BYTES) {
		res.end(new Uint8Array(await response.arrayBuffer()));
		return;
	}
	const reader = response.body.getReader();
	const gone = () => void reader.cancel().catch(() => {});
	res.once('close', gone);
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done || res.destroyed) break;
			if (!res.write(value)) await drained(res);
		}
		res.end();
	} finally {
		res.off('close', gone);
	}
}

export interface RelayListenerOptions extends AddressSource {
	/** The relay's public origin: the base of every request URL the relay sees. */
	origin: string;
}

const UNAVAILABLE = JSON.stringify({
	error: {
		kind: 'unavailable',
		message: 'The relay is starting or cannot reach its database; try again shortly.'
	}
});

/** A node:http listener for the relay's paths. The relay core answers everything itself and logs
 * its own errors; what is left is a relay that could not be opened (its database is down: 503,
 * and the next request tries again) and a body that broke off (the connection ends). */
export function relayListener(
	relay: () => Promise<Relay>,
	options: RelayListenerOptions
): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		const url = `${options.origin}${req.url ?? '/'}`;
		relay()
			.then(
				async (opened) => {
					const request = await toRequest(req, url);
					await writeResponse(await opened.handle(request, clientOf(req, options)), res);
				},
				() => {
					res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
					res.end(UNAVAILABLE);
				}
			)
			.catch(() => res.destroy());
	};
}
