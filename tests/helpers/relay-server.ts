// Starts a real relay on a loopback port for tests: the same core the app serves, behind a plain
// node:http server, on a fresh SQLite directory or a fresh PostgreSQL schema.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createRelay, type RelayOptions } from '../../src/lib/server/relay';
import { openPostgresStorage, openSqliteStorage } from '../../src/lib/server/storage/open';
import type { BlockBytes, Storage } from '../../src/lib/server/storage/types';

export type Backend = 'sqlite' | 'postgres';

/** The backends a test suite must cover. CI must never skip PostgreSQL silently. */
export function backends(): Backend[] {
	if (process.env.LETTERLOCK_TEST_DATABASE_URL) return ['sqlite', 'postgres'];
	if (process.env.CI === 'true') {
		throw new Error(
			'CI=true but LETTERLOCK_TEST_DATABASE_URL is not set: PostgreSQL tests would not run.'
		);
	}
	return ['sqlite'];
}

export interface StartRelayOptions {
	backend: Backend;
	domain?: string;
	/** Reuse an existing SQLite data directory (e.g. to test a restart). */
	dataDir?: string;
	/** Reuse an existing PostgreSQL schema (e.g. to test a restart). */
	schema?: string;
	/** The relay's clock. */
	now?: () => Date;
	rateLimits?: RelayOptions['rateLimits'];
	/** Count rate limits in PostgreSQL, shared with other relays on the same schema. */
	sharedRateLimits?: boolean;
	blockQuotaBytes?: number;
	accountQuotaBytes?: number;
	/** Peers, retries, proxy. Tests never discover beyond the peer map: no DNS, no internet. */
	federation?: RelayOptions['federation'];
	/** Public discovery (DNS TXT, then https://DOMAIN) on, asking this resolver instead of real
	 * DNS; off without it. Whatever it answers, tests may only ever reach loopback. */
	dns?: TestResolver;
	/** Where block bytes go instead of the backend's own place (e.g. an S3 store). */
	blockBytes?: BlockBytes;
	/** Proof-of-work bits a stranger's mail needs (0, none, unless a test asks). */
	powBits?: number;
	/** Role addresses and the keys that may claim them (LETTERLOCK_ROLE_KEYS). */
	operatorAddresses?: RelayOptions['operatorAddresses'];
	/** The origin the relay names itself by (default its own loopback URL), e.g. a proxy's. */
	publicOrigin?: string;
	/** With `publicOrigin`: the relay's own loopback URL is its second origin (as a mirror). */
	mirrorSelf?: boolean;
	/** The onion mirror's origin (ONION_LOCATION), for tests of a relay served on two origins. */
	mirrorOrigin?: string;
	/** Take the client's address from this request header, as ADDRESS_HEADER does behind a
	 * proxy, instead of the socket: a test then speaks as several networks over real HTTP. */
	clientAddressHeader?: string;
}

export interface TestResolver {
	txt: (name: string) => Promise<string[][]>;
	addresses: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

export interface RunningRelay {
	url: string;
	/** The SQLite data directory; for PostgreSQL an empty directory reserved for files. */
	dataDir: string;
	/** The PostgreSQL schema holding this relay's tables (undefined for SQLite). */
	schema: string | undefined;
	storage: Storage;
	/** Every endpoint the relay serves, as `METHOD /pattern`. */
	endpoints: string[];
	/** Every line the relay logged, for tests that check what reaches the logs. */
	logs: string[];
	/** The logged lines that report a problem (anything above pino's info level). */
	problems(): string[];
	/** Stops the server and closes storage. The data directory and schema are deleted unless
	 * `keep` is set, so that a test can restart a relay on the same data. */
	stop(options?: { keep?: boolean }): Promise<void>;
}

function testDatabaseUrl(): string {
	const url = process.env.LETTERLOCK_TEST_DATABASE_URL;
	if (!url) throw new Error('Set LETTERLOCK_TEST_DATABASE_URL to run relay tests on PostgreSQL.');
	return url;
}

function toRequest(req: IncomingMessage, origin: string): Request {
	const headers = new Headers();
	for (let i = 0; i < req.rawHeaders.length; i += 2) {
		headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
	}
	const method = req.method ?? 'GET';
	const hasBody = method !== 'GET' && method !== 'HEAD';
	let cancelled = false;
	const body = hasBody
		? new ReadableStream<Uint8Array>({
				start(controller) {
					req.on('data', (chunk: Buffer) => {
						if (cancelled) return;
						controller.enqueue(new Uint8Array(chunk));
						// Stop reading from the socket until the relay asks for more.
						if ((controller.desiredSize ?? 0) <= 0) req.pause();
					});
					req.on('end', () => cancelled || controller.close());
					req.on('error', (error) => cancelled || controller.error(error));
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
			})
		: null;
	return new Request(new URL(req.url ?? '/', origin), {
		method,
		headers,
		body,
		duplex: 'half'
	} as RequestInit);
}

async function send(response: Response, res: ServerResponse): Promise<void> {
	const headers: Record<string, string> = {};
	response.headers.forEach((value, name) => {
		headers[name] = value;
	});
	res.writeHead(response.status, headers);
	if (!response.body) {
		res.end();
		return;
	}
	const reader = response.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		if (!res.write(value)) await new Promise((resolve) => res.once('drain', resolve));
	}
	res.end();
}

export async function startRelay(options: StartRelayOptions): Promise<RunningRelay> {
	const domain = options.domain ?? 'localhost';
	const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'letterlock-relay-')));
	let schema: string | undefined;
	let storage: Storage;
	if (options.backend === 'postgres') {
		schema = options.schema ?? `test_${randomBytes(6).toString('hex')}`;
		storage = await openPostgresStorage(testDatabaseUrl(), {
			schema,
			blockBytes: options.blockBytes
		});
	} else {
		storage = await openSqliteStorage(dataDir, { blockBytes: options.blockBytes });
	}

	const logs: string[] = [];
	// The relay's origin includes the port, known only once the server listens.
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const relay = createRelay({
		storage,
		domain,
		origin: options.publicOrigin ?? origin,
		mirrorOrigin: options.mirrorSelf ? origin : options.mirrorOrigin,
		version: 'test',
		now: options.now,
		rateLimits: options.rateLimits,
		sharedRateLimits: options.sharedRateLimits,
		blockQuotaBytes: options.blockQuotaBytes,
		accountQuotaBytes: options.accountQuotaBytes,
		federation: {
			...options.federation,
			publicDiscovery: options.dns !== undefined,
			resolver: options.dns
		},
		powBits: options.powBits,
		operatorAddresses: options.operatorAddresses,
		log: (line) => logs.push(line)
	});
	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		const header = options.clientAddressHeader?.toLowerCase();
		const forwarded = header ? req.headers[header] : undefined;
		const address = header ? (typeof forwarded === 'string' ? forwarded : 'unknown') : undefined;
		relay
			.handle(toRequest(req, origin), {
				address: address ?? req.socket.remoteAddress ?? 'unknown'
			})
			.then((response) => send(response, res))
			.catch((error: unknown) => {
				logs.push(`relay-server: ${String(error)}`);
				res.destroy();
			});
	});

	return {
		url: origin,
		dataDir,
		schema,
		storage,
		endpoints: relay.endpoints,
		logs,
		problems: () => logs.filter((line) => !line.startsWith('{') || JSON.parse(line).level > 30),
		async stop({ keep = false } = {}) {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await relay.close();
			if (keep) return;
			await rm(dataDir, { recursive: true, force: true });
			if (schema) {
				const sql = postgres(testDatabaseUrl(), { onnotice: () => {} });
				await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
				await sql.end();
			}
		}
	};
}
