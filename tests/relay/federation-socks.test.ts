// Outbound federation through a SOCKS5 proxy (LETTERLOCK_SOCKS_PROXY): a tiny proxy on loopback
// shows that a delivery and the lookups before it pass through it, and that without a proxy an
// .onion relay is not contacted at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createDiscovery } from '../../src/lib/server/federation/discovery';
import { ForbiddenTargetError, federationFetch } from '../../src/lib/server/federation/fetcher';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn } from './support';
import { eventually, inbox, startPeer } from './federation-support';

/** A SOCKS5 proxy (CONNECT only) that records where each tunnel went, and the username and
 * password when the client offers that method (RFC 1929), as Tor uses them to isolate streams.
 * Like Tor it takes host names (and addresses, for peers configured by address). It connects
 * only to 127.0.0.1 and answers "host unreachable" (4) for anything else, so that no test leaves
 * the machine. */
async function startSocksProxy(): Promise<{
	server: Server;
	port: number;
	targets: string[];
	logins: string[];
}> {
	const targets: string[] = [];
	const logins: string[] = [];
	const connectTo = (client: Socket, request: Buffer) => {
		// Address type 3 is a host name, for the proxy to resolve; 1 and 4 are IPv4 and IPv6.
		const type = request[3]!;
		const start = type === 3 ? 5 : 4;
		const length = type === 3 ? request[4]! : type === 1 ? 4 : 16;
		const address = request.subarray(start, start + length);
		const host = type === 3 ? address.toString() : type === 1 ? address.join('.') : 'IPv6';
		const port = request.readUInt16BE(start + length);
		targets.push(`${host}:${port}`);
		if (host !== '127.0.0.1') {
			client.end(Buffer.from([5, 4, 0, 1, 0, 0, 0, 0, 0, 0]));
			return;
		}
		const upstream = connect(port, host, () => {
			client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
			client.pipe(upstream).pipe(client);
		});
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	};
	const server = createServer((client: Socket) => {
		client.once('data', (greeting: Buffer) => {
			const methods = [...greeting.subarray(2, 2 + greeting[1]!)];
			if (!methods.includes(2)) {
				client.write(Buffer.from([5, 0]));
				client.once('data', (request: Buffer) => connectTo(client, request));
				return;
			}
			client.write(Buffer.from([5, 2]));
			client.once('data', (login: Buffer) => {
				const userLength = login[1]!;
				const user = login.subarray(2, 2 + userLength).toString();
				const passwordLength = login[2 + userLength]!;
				const start = 3 + userLength;
				logins.push(`${user}:${login.subarray(start, start + passwordLength).toString()}`);
				client.write(Buffer.from([1, 0]));
				client.once('data', (request: Buffer) => connectTo(client, request));
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, port: (server.address() as AddressInfo).port, targets, logins };
}

describe('federation through a SOCKS5 proxy', { timeout: 120_000 }, () => {
	const peers = new Map<string, string>();
	let proxy: Awaited<ReturnType<typeof startSocksProxy>>;
	let one: RunningRelay;
	let two: RunningRelay;

	beforeAll(async () => {
		proxy = await startSocksProxy();
		one = await startPeer('sqlite', 'one.example', peers, {
			federation: { socksProxy: { host: '127.0.0.1', port: proxy.port } }
		});
		two = await startPeer('sqlite', 'two.example', peers);
	});
	afterAll(async () => {
		await one.stop();
		await two.stop();
		proxy.server.close();
	});

	it('delivers through the proxy', async () => {
		const alice = await register(one, 'alice@one.example');
		const bob = await register(two, 'bob@two.example');
		const aliceToken = await signIn(one, 'alice@one.example', alice);
		const bobToken = await signIn(two, 'bob@two.example', bob);
		const sent = await api(one, 'POST', '/api/messages', {
			token: aliceToken,
			json: { to: ['bob@two.example'], message: await encryptFor([alice, bob], 'via the proxy') }
		});
		expect(sent.status).toBe(201);
		await eventually(
			async () => (await inbox(two, 'bob@two.example', bobToken)).length === 1,
			'the mail'
		);
		const twoAddress = new URL(two.url).host;
		// The relay document and the delivery both went through the proxy, by host name.
		expect(proxy.targets.length).toBeGreaterThanOrEqual(2);
		expect(new Set(proxy.targets)).toEqual(new Set([twoAddress]));
	});

	it('never contacts an .onion relay without a proxy', async () => {
		peers.set('hidden.onion', one.url);
		const carol = await register(two, 'carol@two.example');
		const token = await signIn(two, 'carol@two.example', carol);
		const sent = await api(two, 'POST', '/api/messages', {
			token,
			json: { to: ['dan@hidden.onion'], message: await encryptFor([carol], 'to an onion') }
		});
		expect(sent.status).toBe(201);
		const problem = await eventually(async () => {
			const stored = await api(
				two,
				'GET',
				`/api/mailboxes/carol@two.example/messages/${sent.body.id}`,
				{
					token
				}
			);
			return stored.body.deliveries[0].problem as string | null;
		}, 'a failed attempt');
		expect(problem).toContain('LETTERLOCK_SOCKS_PROXY');
	});

	it('skips the TXT step: a proxy cannot resolve TXT, and the local resolver would leak', async () => {
		const asked: string[] = [];
		const fetched: string[] = [];
		const discovery = createDiscovery({
			peers: new Map(),
			publicDiscovery: true,
			proxied: true,
			fetch: async (url) => {
				fetched.push(url);
				throw new Error('not in this test');
			},
			ttlMs: 60_000,
			now: () => new Date(),
			resolveTxt: async (name) => {
				asked.push(name);
				return [[`v=letterlock1; relay=${two.url}`]];
			}
		});
		await expect(discovery.relayFor('elsewhere.example')).rejects.toThrow(/cannot be reached/);
		expect(asked).toEqual([]);
		expect(fetched).toEqual(['https://elsewhere.example/.well-known/letterlock/relay']);
	});

	it('asks no local DNS at all, and hands host names to the proxy', async () => {
		const asked: string[] = [];
		const far = await startRelay({
			backend: 'sqlite',
			domain: 'far.example',
			federation: {
				socksProxy: {
					host: '127.0.0.1',
					port: proxy.port,
					username: 'far.example',
					password: 'its own circuit'
				}
			},
			dns: {
				txt: async (name) => {
					asked.push(`TXT ${name}`);
					return [[`v=letterlock1; relay=${two.url}`]];
				},
				addresses: async (name) => {
					asked.push(`A ${name}`);
					return [{ address: '127.0.0.1', family: 4 }];
				}
			}
		});
		try {
			const mark = proxy.targets.length;
			const answer = await api(far, 'GET', '/api/keys/someone@elsewhere.example');
			expect(answer.status).toBe(424);
			expect(answer.body.error.message).toBe(
				'The key of someone@elsewhere.example cannot be fetched right now: The relay of elsewhere.example cannot be reached. Try again later.'
			);
			// No TXT record (a proxy cannot resolve those) and no address: the proxy got the name.
			expect(asked).toEqual([]);
			expect(proxy.targets.slice(mark)).toEqual(['elsewhere.example:443']);
			// With the credentials configured, for Tor's stream isolation.
			expect(proxy.logins).toEqual(['far.example:its own circuit']);
			// "localhost" would be the proxy's own machine: it is not even asked.
			const local = await api(far, 'GET', '/api/keys/someone@localhost');
			expect(local.status).toBe(404);
			expect(proxy.targets.slice(mark)).toEqual(['elsewhere.example:443']);
		} finally {
			await far.stop();
		}
	});

	it('refuses addresses that are not public, and localhost, before the proxy hears of them', async () => {
		const fetch = federationFetch({
			proxy: { host: '127.0.0.1', port: proxy.port },
			timeoutMs: 5_000
		});
		const mark = proxy.targets.length;
		for (const url of [
			`${two.url}/.well-known/letterlock/relay`,
			'http://[::1]/',
			'https://10.0.0.1/',
			'https://relay.localhost/'
		]) {
			await expect(fetch(url, { method: 'GET' })).rejects.toBeInstanceOf(ForbiddenTargetError);
		}
		expect(proxy.targets.slice(mark)).toEqual([]);
	});
});
