// Server-side request forgery: anyone may ask a relay for the key of user@some.example, and the
// relay then follows DNS and documents that whoever owns some.example controls. Those must never
// make it connect to loopback, the operator's private network or other non-public addresses
// (only peers the operator listed may be there), and the answer must not echo socket errors.
// A trap listener on loopback shows that nothing connects; private ranges are never contacted
// by any test, so they are checked where the decision is made, before any connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as v from 'valibot';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { AddressSchema, DomainSchema } from '../../src/lib/protocol';
import { federationFetch, ForbiddenTargetError } from '../../src/lib/server/federation/fetcher';
import { isPublicAddress } from '../../src/lib/server/federation/public-address';
import { startRelay, type RunningRelay, type TestResolver } from '../helpers/relay-server';
import { api, register } from '../relay/support';

/** A loopback listener that only counts who connects. */
async function startTrap(): Promise<{ server: Server; port: number; connections: () => number }> {
	let count = 0;
	const server = createServer((socket) => {
		count += 1;
		socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, port: (server.address() as AddressInfo).port, connections: () => count };
}

/** DNS as the test says it is; every question is recorded, unknown names do not exist. */
function fakeDns(
	txt: Record<string, string>,
	addresses: Record<string, string[]>
): TestResolver & { asked: string[] } {
	const asked: string[] = [];
	const missing = (name: string) =>
		Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
	return {
		asked,
		async txt(name) {
			asked.push(`TXT ${name}`);
			if (!(name in txt)) throw missing(name);
			return [[txt[name]!]];
		},
		async addresses(hostname) {
			asked.push(`A ${hostname}`);
			const found = addresses[hostname];
			if (!found) throw missing(hostname);
			return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
		}
	};
}

/** What a stranger must never learn from an answer: socket errors, addresses, ports. */
function expectPlainSentence(message: unknown, trapPort: number) {
	expect(typeof message).toBe('string');
	const text = message as string;
	expect(text).toMatch(/^[A-Z].*\.$/);
	expect(text).not.toMatch(/E[A-Z]{4,}|getaddrinfo|socket|127\.0\.0\.1|::1|10\.0\.0/);
	expect(text).not.toContain(String(trapPort));
}

describe('request forgery through discovery', { timeout: 60_000 }, () => {
	let trap: Awaited<ReturnType<typeof startTrap>>;
	let dns: ReturnType<typeof fakeDns>;
	let relay: RunningRelay;
	let peer: RunningRelay;

	beforeAll(async () => {
		trap = await startTrap();
		const at = `127.0.0.1:${trap.port}`;
		peer = await startRelay({ backend: 'sqlite', domain: 'peer.example' });
		dns = fakeDns(
			{
				'_letterlock.txt-literal.example': `v=letterlock1; relay=http://${at}`,
				'_letterlock.txt-mapped.example': `v=letterlock1; relay=http://[::ffff:7f00:1]:${trap.port}`,
				'_letterlock.txt-name.example': `v=letterlock1; relay=http://loopback.example:${trap.port}`,
				'_letterlock.txt-mixed.example': `v=letterlock1; relay=http://mixed.example:${trap.port}`
			},
			{
				'loopback.example': ['127.0.0.1'],
				// One public address does not excuse a loopback one beside it.
				'mixed.example': ['93.184.216.34', '127.0.0.1']
			}
		);
		relay = await startRelay({
			backend: 'sqlite',
			domain: 'one.example',
			dns,
			federation: { peers: new Map([['peer.example', peer.url]]) }
		});
	});
	afterAll(async () => {
		await relay.stop();
		await peer.stop();
		trap.server.close();
	});

	it('refuses IP addresses for domains without asking anyone', async () => {
		for (const address of ['x@127.0.0.1', 'x@[::1]', 'x@[127.0.0.1]', 'x@0x7f.1', 'x@2130706433']) {
			const answer = await api(relay, 'GET', `/api/keys/${encodeURIComponent(address)}`);
			expect(answer.status, address).toBe(400);
			expectPlainSentence(answer.body.error.message, trap.port);
		}
		expect(dns.asked).toEqual([]);
		expect(trap.connections()).toBe(0);
	});

	it('never connects to loopback that DNS points to, and says so plainly', async () => {
		for (const domain of [
			'localhost',
			'relay.localhost',
			'loopback.example',
			'txt-literal.example',
			'txt-mapped.example',
			'txt-name.example',
			'txt-mixed.example'
		]) {
			const answer = await api(relay, 'GET', `/api/keys/x@${domain}`);
			expect(answer.status, domain).toBe(404);
			expect(answer.body.error.message).toBe(`No Letterlock relay serves ${domain}.`);
			expectPlainSentence(answer.body.error.message, trap.port);
		}
		// The name was resolved, once each time it was needed, and the answer refused.
		expect(dns.asked).toContain('A loopback.example');
		expect(dns.asked).toContain('A mixed.example');
		expect(trap.connections()).toBe(0);
	});

	it('refuses an anonymous delivery whose sending domain points at loopback', async () => {
		const delivery = await api(relay, 'POST', '/api/federation/deliveries', {
			raw: JSON.stringify({
				v: 1,
				from: 'txt-name.example',
				to: 'one.example',
				id: crypto.randomUUID(),
				sender: 'x@txt-name.example',
				recipients: ['bob@one.example'],
				message: '-----BEGIN PGP MESSAGE-----\n\nwcBMA0\n-----END PGP MESSAGE-----\n',
				sentAt: new Date().toISOString()
			}),
			headers: { 'letterlock-signature': `ed25519=${'A'.repeat(86)}` }
		});
		expect(delivery.status).toBe(403);
		expect(delivery.body.error.message).toBe(
			'The delivery cannot be checked: The relay of txt-name.example is on an address relays do not connect to.'
		);
		expectPlainSentence(delivery.body.error.message, trap.port);
		expect(trap.connections()).toBe(0);
	});

	it('still reaches a peer the operator listed on loopback', async () => {
		const bob = await register(peer, 'bob@peer.example');
		const answer = await api(relay, 'GET', '/api/keys/bob@peer.example');
		expect(answer.status).toBe(200);
		expect(answer.body.keys[0].fingerprint).toBe(bob.fingerprint);
	});

	it('checks the address it connects to, for document-chosen origins too', async () => {
		let resolved = 0;
		const fetch = federationFetch({
			timeoutMs: 5_000,
			resolve: async () => {
				resolved += 1;
				return [{ address: '127.0.0.1', family: 4 }];
			}
		});
		for (const url of [
			`http://inner.example:${trap.port}/api/keys/x`,
			`http://127.0.0.2:${trap.port}/`,
			`https://[::1]:${trap.port}/`
		]) {
			await expect(fetch(url, { method: 'GET' })).rejects.toBeInstanceOf(ForbiddenTargetError);
		}
		// Resolved once, inside the connection, so no second answer can differ from the checked one.
		expect(resolved).toBe(1);
		expect(trap.connections()).toBe(0);
	});
});

describe('which addresses count as public', () => {
	it('refuses loopback, private, link-local, shared, reserved and multicast ranges', () => {
		for (const address of [
			'0.0.0.0',
			'0.1.2.3',
			'10.0.0.1',
			'100.64.0.1',
			'127.0.0.1',
			'127.255.255.254',
			'169.254.169.254',
			'172.16.0.1',
			'172.31.255.255',
			'192.168.1.1',
			'198.18.0.1',
			'224.0.0.251',
			'255.255.255.255',
			'::',
			'::1',
			'[::1]',
			'::ffff:127.0.0.1',
			'::ffff:10.0.0.1',
			'::ffff:a9fe:a9fe',
			'64:ff9b::a00:1',
			'64:ff9b:0:0:0:0:7f00:1',
			'fc00::1',
			'fd12:3456::1',
			'fe80::1',
			'ff02::1',
			'2002:7f00:1::1',
			'not an address'
		]) {
			expect(isPublicAddress(address), address).toBe(false);
		}
		for (const address of [
			'8.8.8.8',
			'93.184.216.34',
			'100.128.0.1',
			'172.32.0.1',
			'2606:4700::1111',
			'::ffff:8.8.8.8',
			'64:ff9b::808:808'
		]) {
			expect(isPublicAddress(address), address).toBe(true);
		}
	});

	it('treats an IPv4 address and its IPv6 spellings alike', () => {
		const octet = fc.integer({ min: 0, max: 255 });
		fc.assert(
			fc.property(fc.tuple(octet, octet, octet, octet), (parts) => {
				const v4 = parts.join('.');
				const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
				const mapped = `::ffff:${hex(parts[0], parts[1])}:${hex(parts[2], parts[3])}`;
				expect(isPublicAddress(`::ffff:${v4}`)).toBe(isPublicAddress(v4));
				expect(isPublicAddress(mapped)).toBe(isPublicAddress(v4));
				expect(isPublicAddress(`64:ff9b::${v4}`)).toBe(isPublicAddress(v4));
			}),
			{ numRuns: 500 }
		);
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2 ** 24 - 1 }), (n) => {
				expect(isPublicAddress(`10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`)).toBe(false);
				expect(isPublicAddress(`127.${n >> 16}.${(n >> 8) & 255}.${n & 255}`)).toBe(false);
			})
		);
	});
});

describe('the domain grammar', () => {
	const valid = (domain: string) => v.safeParse(DomainSchema, domain).success;
	const validAddress = (domain: string) => v.safeParse(AddressSchema, `x@${domain}`).success;

	it('refuses empty labels, edge hyphens, long labels and names, a trailing dot', () => {
		for (const domain of [
			'x..y',
			'.x.example',
			'x.example.',
			'-x.example',
			'x-.example',
			'x.-y.example',
			'x.example-',
			`${'a'.repeat(64)}.example`,
			`${`${'a'.repeat(62)}.`.repeat(4)}example`,
			'127.0.0.1',
			'0x7f.1',
			'x.123'
		]) {
			expect(valid(domain), domain).toBe(false);
			expect(validAddress(domain), domain).toBe(false);
		}
		for (const domain of [
			'localhost',
			'example.org',
			'a-b.example',
			'1.example',
			'xn--p1ai',
			`${'a'.repeat(63)}.example`,
			`${`${'a'.repeat(60)}.`.repeat(4)}example`
		]) {
			expect(valid(domain), domain).toBe(true);
			expect(validAddress(domain), domain).toBe(true);
		}
	});

	it('accepts exactly the names made of good labels', () => {
		const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
		const top = fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/);
		fc.assert(
			fc.property(fc.array(label, { maxLength: 4 }), top, (labels, last) => {
				const domain = [...labels, last].join('.');
				expect(valid(domain)).toBe(domain.length <= 253);
				// Any one break in the grammar is refused.
				expect(valid(`${domain}.`)).toBe(false);
				expect(valid(`${domain}..x`)).toBe(false);
				expect(valid(`-${domain}`)).toBe(false);
			})
		);
	});
});
