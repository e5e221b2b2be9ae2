import * as openpgp from 'openpgp';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wkdHash, zbase32 } from '../../src/lib/server/wkd';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, makeKey, register, type TestKey } from './support';

const WKS_CLIENT = ['/usr/lib/gnupg/gpg-wks-client', '/usr/libexec/gpg-wks-client'].find(
	existsSync
);

describe('WKD hashing', () => {
	it('encodes z-base-32 as RFC 6189 does', () => {
		expect(zbase32(new Uint8Array([]))).toBe('');
		expect(zbase32(new Uint8Array([0]))).toBe('yy');
		expect(zbase32(new Uint8Array([0xff]))).toBe('9h');
		expect(zbase32(new Uint8Array([0xf0, 0xbf, 0xc7]))).toBe('6n9hq');
	});

	it('matches a hash printed by gpg-wks-client --print-wkd-hash', () => {
		expect(wkdHash('Joe.Doe')).toBe('iy9q119eutrkn8s1mk4r39qejnbu3n5q');
	});

	it.skipIf(!WKS_CLIENT).each(['Joe.Doe@Example.ORG', 'alice@localhost', 'a.b-c_d+e@example.org'])(
		'hashes %s as the installed GnuPG does',
		(address) => {
			const printed = execFileSync(WKS_CLIENT!, ['--print-wkd-hash', address], {
				encoding: 'utf8'
			});
			expect(wkdHash(address.slice(0, address.lastIndexOf('@')))).toBe(printed.split(' ')[0]);
		}
	);
});

describe.each(backends())('key directory (%s)', (backend) => {
	let relay: RunningRelay;
	let alice: TestKey;

	beforeAll(async () => {
		relay = await startRelay({ backend, domain: 'example.org' });
		alice = await register(relay, 'alice@example.org');
	});
	afterAll(() => relay.stop());

	it('looks up a registered key', async () => {
		const { status, body } = await api(relay, 'GET', '/api/keys/Alice@Example.org');
		expect(status).toBe(200);
		expect(body).toMatchObject({ address: 'alice@example.org', conflict: false });
		expect(body.keys).toHaveLength(1);
		expect(body.keys[0].fingerprint).toBe(alice.fingerprint);
		const key = await openpgp.readKey({ armoredKey: body.keys[0].publicKey });
		expect(key.getFingerprint().toUpperCase()).toBe(alice.fingerprint);
		expect(key.isPrivate()).toBe(false);
	});

	it('answers 404 for an address without a key, and 400 for a non-address', async () => {
		const missing = await api(relay, 'GET', '/api/keys/nobody@example.org');
		expect(missing.status).toBe(404);
		expect(missing.body.error.kind).toBe('unknown-address');
		expect((await api(relay, 'GET', '/api/keys/not-an-address')).status).toBe(400);
	});

	it('flags a conflict when two keys claim one address', async () => {
		const bob = await register(relay, 'bob@example.org');
		const rival = await makeKey('bob@example.org');
		await relay.storage.addDirectoryKey(
			'bob@example.org',
			rival.fingerprint,
			rival.publicKey,
			'imported'
		);
		const { body } = await api(relay, 'GET', '/api/keys/bob@example.org');
		expect(body.conflict).toBe(true);
		expect(body.keys.map((k: { fingerprint: string }) => k.fingerprint)).toEqual([
			bob.fingerprint,
			rival.fingerprint
		]);

		// WKD serves both keys, so WKD clients see the conflict too.
		const wkd = await fetch(`${relay.url}/.well-known/openpgpkey/hu/${wkdHash('bob')}?l=bob`);
		expect(wkd.status).toBe(200);
		const served = await openpgp.readKeys({ binaryKeys: new Uint8Array(await wkd.arrayBuffer()) });
		expect(served.map((k) => k.getFingerprint().toUpperCase())).toEqual([
			bob.fingerprint,
			rival.fingerprint
		]);
	});

	it('serves the binary key over WKD at its hash, in the direct and advanced layouts', async () => {
		const hash = wkdHash('alice');
		for (const path of [
			`/.well-known/openpgpkey/hu/${hash}?l=alice`,
			`/.well-known/openpgpkey/hu/${hash}`,
			`/.well-known/openpgpkey/example.org/hu/${hash}?l=alice`
		]) {
			const response = await fetch(relay.url + path);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('application/octet-stream');
			expect(response.headers.get('access-control-allow-origin')).toBe('*');
			const bytes = new Uint8Array(await response.arrayBuffer());
			expect(bytes[0]! & 0x80).toBe(0x80);
			const key = await openpgp.readKey({ binaryKey: bytes });
			expect(key.getFingerprint().toUpperCase()).toBe(alice.fingerprint);
		}
	});

	it('answers the WKD policy, and 404 for unknown or mismatched WKD requests', async () => {
		const policy = await fetch(`${relay.url}/.well-known/openpgpkey/policy`);
		expect(policy.status).toBe(200);
		expect(policy.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(await policy.text()).toBe('');
		expect((await fetch(`${relay.url}/.well-known/openpgpkey/example.org/policy`)).status).toBe(
			200
		);
		expect((await fetch(`${relay.url}/.well-known/openpgpkey/other.org/policy`)).status).toBe(404);
		const hash = wkdHash('alice');
		const notFound = [
			`/.well-known/openpgpkey/hu/${wkdHash('nobody')}?l=nobody`,
			`/.well-known/openpgpkey/hu/${hash}?l=mallory`,
			`/.well-known/openpgpkey/hu/not-a-hash`,
			`/.well-known/openpgpkey/other.org/hu/${hash}?l=alice`
		];
		for (const path of notFound) expect((await fetch(relay.url + path)).status).toBe(404);
		expect(
			(await fetch(`${relay.url}/.well-known/openpgpkey/policy`, { method: 'POST' })).status
		).toBe(405);
		const head = await fetch(`${relay.url}/.well-known/openpgpkey/hu/${hash}?l=alice`, {
			method: 'HEAD'
		});
		expect(head.status).toBe(200);
		expect(head.headers.get('content-type')).toBe('application/octet-stream');
	});
});
