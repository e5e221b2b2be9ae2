// Finding a domain's relay: the peer map first, then DNS TXT, then https://DOMAIN. DNS and the
// internet are out of reach in tests, so the resolver is handed in and the last step is seen by
// the URL it asks for; the relay documents come from a real relay on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createDiscovery,
	parsePeers,
	parseTxtRecords,
	type DiscoveryOptions
} from '../../src/lib/server/federation/discovery';
import { readConfig } from '../../src/lib/server/config';
import { federationFetch, type FederationFetch } from '../../src/lib/server/federation/fetcher';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { api } from './support';

describe('LETTERLOCK_PEERS', () => {
	it('maps domains to relay origins and refuses anything else', () => {
		expect(
			parsePeers(' two.example=http://127.0.0.1:4002 , Three.Example=https://r.three.example/x')
		).toEqual(
			new Map([
				['two.example', 'http://127.0.0.1:4002'],
				['three.example', 'https://r.three.example']
			])
		);
		expect(parsePeers(undefined)).toEqual(new Map());
		expect(() => parsePeers('two.example')).toThrow(/LETTERLOCK_PEERS/);
		expect(() => parsePeers('two.example=ftp://x')).toThrow(/LETTERLOCK_PEERS/);
	});
});

describe('federation settings from the environment', () => {
	it('reads peers, discovery, proxy and retries, and refuses what it cannot use', () => {
		const { federation } = readConfig({
			LETTERLOCK_PEERS: 'two.example=http://127.0.0.1:4002',
			LETTERLOCK_DISCOVERY: 'peers',
			LETTERLOCK_SOCKS_PROXY: 'socks5h://127.0.0.1:9050',
			LETTERLOCK_DELIVERY_RETRY: '30s,2h,3d'
		});
		expect(federation).toEqual({
			peers: new Map([['two.example', 'http://127.0.0.1:4002']]),
			publicDiscovery: false,
			socksProxy: { host: '127.0.0.1', port: 9050 },
			retry: { firstDelayMs: 30_000, maxDelayMs: 7_200_000, giveUpAfterMs: 259_200_000 }
		});
		expect(readConfig({}).federation.publicDiscovery).toBe(true);
		// Credentials in the URL go to the proxy: Tor isolates streams by them.
		expect(
			readConfig({ LETTERLOCK_SOCKS_PROXY: 'socks5://relay:one%20circuit@127.0.0.1:9050' })
				.federation.socksProxy
		).toEqual({ host: '127.0.0.1', port: 9050, username: 'relay', password: 'one circuit' });
		expect(() => readConfig({ LETTERLOCK_SOCKS_PROXY: 'http://proxy:8080' })).toThrow(
			/LETTERLOCK_SOCKS_PROXY/
		);
		expect(() => readConfig({ LETTERLOCK_DELIVERY_RETRY: '1m,6h' })).toThrow(
			/LETTERLOCK_DELIVERY_RETRY/
		);
		expect(() => readConfig({ LETTERLOCK_DISCOVERY: 'dns' })).toThrow(/LETTERLOCK_DISCOVERY/);
	});
});

describe('the _letterlock TXT record', () => {
	const KEY = 'A'.repeat(43);
	it('reads the first Letterlock record, joined from its strings', () => {
		expect(
			parseTxtRecords([
				['v=spf1 -all'],
				['v=letterlock1; relay=https://relay.two', '.example/; key=ed25519:', KEY]
			])
		).toEqual({ origin: 'https://relay.two.example', key: KEY });
		expect(parseTxtRecords([['v=letterlock1;relay=http://10.0.0.2:3000']])).toEqual({
			origin: 'http://10.0.0.2:3000'
		});
	});
	it('skips records it cannot use', () => {
		expect(parseTxtRecords([['v=letterlock1; relay=not a url']])).toBeUndefined();
		expect(
			parseTxtRecords([['v=letterlock1; relay=https://x.example; key=rsa:abc']])
		).toBeUndefined();
		expect(parseTxtRecords([['v=letterlock2; relay=https://x.example']])).toBeUndefined();
		expect(parseTxtRecords([])).toBeUndefined();
	});
});

describe('discovery order', () => {
	let relay: RunningRelay;
	let publicKey: string;
	beforeAll(async () => {
		relay = await startRelay({ backend: 'sqlite', domain: 'named.example' });
		publicKey = (await api(relay, 'GET', '/.well-known/letterlock/relay')).body.key.publicKey;
	});
	afterAll(() => relay.stop());

	function discovery(options: Partial<DiscoveryOptions> & { txt?: string[][] }) {
		const asked: string[] = [];
		const fetched: string[] = [];
		// The loopback relay stands in for one on the internet, so it is let through as a peer.
		const real = federationFetch({ timeoutMs: 5_000, isPeer: (origin) => origin === relay.url });
		// Only loopback is reached; anything else fails as an unreachable host would.
		const fetch: FederationFetch = async (url, init) => {
			fetched.push(url);
			if (!url.startsWith(relay.url)) throw new Error('no route to host');
			return real(url, init);
		};
		const found = createDiscovery({
			peers: new Map(),
			publicDiscovery: true,
			proxied: false,
			fetch,
			ttlMs: 60_000,
			now: () => new Date(),
			resolveTxt: async (name) => {
				asked.push(name);
				if (!options.txt) throw Object.assign(new Error('no such name'), { code: 'ENOTFOUND' });
				return options.txt;
			},
			...options
		});
		return { found, asked, fetched };
	}

	it('uses the peer map before DNS', async () => {
		const { found, asked } = discovery({ peers: new Map([['named.example', relay.url]]), txt: [] });
		const result = await found.relayFor('named.example');
		expect(result.origin).toBe(relay.url);
		expect(result.document.key.publicKey).toBe(publicKey);
		expect(asked).toEqual([]);
	});

	it('then the TXT record, whose pinned key must match', async () => {
		const good = discovery({
			txt: [[`v=letterlock1; relay=${relay.url}; key=ed25519:${publicKey}`]]
		});
		expect((await good.found.relayFor('named.example')).origin).toBe(relay.url);
		expect(good.asked).toEqual(['_letterlock.named.example']);
		const pinnedOther = discovery({
			txt: [[`v=letterlock1; relay=${relay.url}; key=ed25519:${'B'.repeat(43)}`]]
		});
		await expect(pinnedOther.found.relayFor('named.example')).rejects.toThrow(
			/differs from its DNS record/
		);
	});

	it('then https://DOMAIN, and caches what it found', async () => {
		const { found, fetched } = discovery({});
		await expect(found.relayFor('named.example')).rejects.toThrow(/cannot be reached/);
		expect(fetched).toEqual(['https://named.example/.well-known/letterlock/relay']);

		const cached = discovery({ peers: new Map([['named.example', relay.url]]) });
		await cached.found.relayFor('named.example');
		await cached.found.relayFor('named.example');
		expect(cached.fetched).toHaveLength(1);
	});

	it('refuses a document that names another domain', async () => {
		const { found } = discovery({ peers: new Map([['other.example', relay.url]]) });
		await expect(found.relayFor('other.example')).rejects.toThrow(/not valid for it/);
	});
});
