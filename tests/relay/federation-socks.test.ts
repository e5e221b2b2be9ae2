// Outbound federation through a SOCKS5 proxy (LETTERLOCK_SOCKS_PROXY): a tiny proxy on loopback
// shows that a delivery and the lookups before it pass through it, and that without a proxy an
// .onion relay is not contacted at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn } from './support';
import { eventually, inbox, startPeer } from './federation-support';

/** A SOCKS5 proxy (no authentication, CONNECT only) that records where each tunnel went. */
async function startSocksProxy(): Promise<{ server: Server; port: number; targets: string[] }> {
	const targets: string[] = [];
	const server = createServer((client: Socket) => {
		client.once('data', () => {
			client.write(Buffer.from([5, 0]));
			client.once('data', (request: Buffer) => {
				const length = request[4]!;
				const host = request.subarray(5, 5 + length).toString();
				const port = request.readUInt16BE(5 + length);
				targets.push(`${host}:${port}`);
				const upstream = connect(port, host, () => {
					client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
					client.pipe(upstream).pipe(client);
				});
				upstream.on('error', () => client.destroy());
				client.on('error', () => upstream.destroy());
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, port: (server.address() as AddressInfo).port, targets };
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
});
