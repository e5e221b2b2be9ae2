// A hostile relay for client tests (CLI, client core, browser): an HTTP proxy in front of a real
// relay (or the e2e app server) that forwards every request unchanged until a test tells it to
// lie. A lie answers a matching request with whatever the test wants, a challenge that is really
// a letter, a key that is not the person's, a "mailing list" that adds a reader, a listing that
// never ends, while the rest of the protocol stays real. It also records every request the
// client made, so a test can assert what a client did NOT ask (e.g. nothing on opening a letter).
import {
	createServer,
	request as httpRequest,
	type IncomingMessage,
	type ServerResponse
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRelay, type RunningRelay, type StartRelayOptions } from './relay-server';

export interface SeenRequest {
	method: string;
	/** Path and query, e.g. `/api/keys/bob%40localhost`. */
	path: string;
	headers: Record<string, string>;
	body: string;
}

/** What the real relay answered, for lies that change an honest answer instead of inventing one. */
export interface HonestAnswer {
	status: number;
	headers: Record<string, string>;
	body: string;
	/** The body as JSON, or undefined when it is not JSON. */
	json: unknown;
}

/** A lie: an answer of the test's own, or `undefined` to pass the honest answer through. */
export type LieAnswer =
	{ status?: number; json?: unknown; text?: string; headers?: Record<string, string> } | undefined;

export interface Lie {
	method?: string;
	/** Matched against the decoded path without the query. */
	path: string | RegExp;
	/** Called with the request and, when `honest` is true, the real relay's answer first. */
	answer: (request: SeenRequest, honest: HonestAnswer | null) => LieAnswer | Promise<LieAnswer>;
	/** Ask the real relay first and hand its answer to `answer` (default false: it never sees it). */
	honest?: boolean;
	/** How many times this lie is told before the relay tells the truth again (default: always). */
	times?: number;
}

export interface HostileRelay {
	/** Where clients point (`--relay URL`, `new RelayClient(URL)`, a browser's baseURL). */
	readonly url: string;
	/** Sets the origin that honest answers come from. */
	pointAt(upstream: string): void;
	/** Every request a client made through this relay, oldest first. */
	readonly requests: SeenRequest[];
	/** Adds a lie; the newest matching lie wins. Returns a function that withdraws it. */
	lie(lie: Lie): () => void;
	/** Withdraws every lie and forgets the recorded requests. */
	reset(): void;
	/** Requests made since `mark` (an index into `requests`), e.g. around opening a letter. */
	since(mark: number): SeenRequest[];
	stop(): Promise<void>;
}

function decodedPath(path: string): string {
	const bare = path.split('?')[0] ?? path;
	try {
		return decodeURIComponent(bare);
	} catch {
		return bare;
	}
}

function matches(lie: Lie, request: SeenRequest): boolean {
	if (lie.method && lie.method.toUpperCase() !== request.method) return false;
	const path = decodedPath(request.path);
	return typeof lie.path === 'string' ? lie.path === path : lie.path.test(path);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

// Hop-by-hop and length headers are the proxy's own business, not the answer's.
const DROPPED_HEADERS = new Set([
	'connection',
	'keep-alive',
	'transfer-encoding',
	'content-length'
]);

/** Passes the request on with its own headers, Host included: a relay that names itself by the
 * proxy's origin (see startHostileRelay) then answers as it would behind a reverse proxy. */
function forward(upstream: string, request: SeenRequest, raw: Buffer): Promise<HonestAnswer> {
	const target = new URL(upstream + request.path);
	const headers = { ...request.headers };
	delete headers['content-length'];
	delete headers['accept-encoding'];
	const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
	if (hasBody) headers['content-length'] = String(raw.length);
	return new Promise((resolve, reject) => {
		const outgoing = httpRequest(target, { method: request.method, headers }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('error', reject);
			response.on('end', () => {
				const answerHeaders: Record<string, string> = {};
				for (const [name, value] of Object.entries(response.headers)) {
					if (DROPPED_HEADERS.has(name) || value === undefined) continue;
					answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
				}
				const body = Buffer.concat(chunks).toString('utf8');
				resolve({
					status: response.statusCode ?? 502,
					headers: answerHeaders,
					body,
					json: parseJson(body)
				});
			});
		});
		outgoing.on('error', reject);
		outgoing.end(hasBody ? raw : undefined);
	});
}

/** An honest event stream (server-sent events never end), passed through as it comes, so that
 * a client's new-mail notices work through the proxy; it ends when either side closes. */
function stream(upstream: string, request: SeenRequest, res: ServerResponse): void {
	const headers = { ...request.headers };
	delete headers['accept-encoding'];
	const outgoing = httpRequest(new URL(upstream + request.path), { headers }, (response) => {
		res.writeHead(response.statusCode ?? 502, response.headers);
		response.pipe(res);
	});
	outgoing.on('error', () => res.destroy());
	res.on('close', () => outgoing.destroy());
	outgoing.end();
}

function write(res: ServerResponse, answer: HonestAnswer): void {
	res.writeHead(answer.status, answer.headers);
	res.end(answer.body);
}

function fromLie(lie: NonNullable<LieAnswer>, honest: HonestAnswer | null): HonestAnswer {
	if (lie.json !== undefined) {
		const body = JSON.stringify(lie.json);
		return {
			status: lie.status ?? 200,
			headers: { 'content-type': 'application/json', ...lie.headers },
			body,
			json: lie.json
		};
	}
	return {
		status: lie.status ?? honest?.status ?? 200,
		headers: { 'content-type': 'text/plain; charset=utf-8', ...lie.headers },
		body: lie.text ?? '',
		json: undefined
	};
}

/** A hostile proxy in front of `upstream` (any HTTP origin: a test relay or the e2e server).
 * Without one it answers 502 until `pointAt` names it: a relay whose public origin must be the
 * proxy's own (login challenges name it) is started after the proxy listens. */
export async function startHostileProxy(upstream?: string): Promise<HostileRelay> {
	let base = upstream?.replace(/\/+$/, '') ?? '';
	const requests: SeenRequest[] = [];
	let lies: Array<Lie & { told: number }> = [];

	const server = createServer((req, res) => {
		void (async () => {
			const raw = await readBody(req);
			const headers: Record<string, string> = {};
			for (const [name, value] of Object.entries(req.headers)) {
				if (typeof value === 'string') headers[name] = value;
				else if (Array.isArray(value)) headers[name] = value.join(', ');
			}
			const request: SeenRequest = {
				method: (req.method ?? 'GET').toUpperCase(),
				path: req.url ?? '/',
				headers,
				body: raw.toString('utf8')
			};
			requests.push(request);
			const lie = [...lies]
				.reverse()
				.find(
					(candidate) =>
						matches(candidate, request) && candidate.told < (candidate.times ?? Infinity)
				);
			if (!base) throw new Error('no upstream relay yet');
			if (!lie && request.headers.accept === 'text/event-stream') {
				stream(base, request, res);
				return;
			}
			if (!lie) {
				write(res, await forward(base, request, raw));
				return;
			}
			lie.told += 1;
			const honest = lie.honest ? await forward(base, request, raw) : null;
			const told = await lie.answer(request, honest);
			if (told) write(res, fromLie(told, honest));
			else if (honest) write(res, honest);
			else write(res, await forward(base, request, raw));
		})().catch((error: unknown) => {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`hostile relay: ${String(error)}`);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		url,
		requests,
		pointAt(next) {
			base = next.replace(/\/+$/, '');
		},
		lie(lie) {
			const entry = { ...lie, told: 0 };
			lies.push(entry);
			return () => {
				lies = lies.filter((candidate) => candidate !== entry);
			};
		},
		reset() {
			lies = [];
			requests.length = 0;
		},
		since: (mark) => requests.slice(mark),
		async stop() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

/** A real relay (as in relay-server.ts) with a hostile proxy in front: `hostile.url` lies,
 * `relay.url` stays honest for setting things up. The relay names the proxy as its public
 * origin, as a relay behind a reverse proxy would, and its own loopback URL as a second one
 * (as an onion mirror is), so login challenges are valid through either door. */
export async function startHostileRelay(
	options: StartRelayOptions
): Promise<{ relay: RunningRelay; hostile: HostileRelay; stop(): Promise<void> }> {
	const hostile = await startHostileProxy();
	const relay = await startRelay({ ...options, publicOrigin: hostile.url, mirrorSelf: true });
	hostile.pointAt(relay.url);
	return {
		relay,
		hostile,
		async stop() {
			await hostile.stop();
			await relay.stop();
		}
	};
}

/** The requests whose path (decoded) or body names any of `addresses`, leaving out those whose
 * path starts with one of `except` (e.g. the reader's own mailbox): what a client told the relay,
 * and through it other relays, about the people a letter names. */
export function naming(
	requests: SeenRequest[],
	addresses: string[],
	except: string[] = []
): SeenRequest[] {
	return requests.filter((request) => {
		if (except.some((prefix) => request.path.startsWith(prefix))) return false;
		const seen = `${decodedPath(request.path)} ${request.body}`.toLowerCase();
		return addresses.some((address) => seen.includes(address.toLowerCase()));
	});
}
