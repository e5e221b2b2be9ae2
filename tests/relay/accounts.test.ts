import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/lib/protocol';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, makeKey } from './support';

describe.each(backends())('accounts (%s)', (backend) => {
	let relay: RunningRelay;
	beforeAll(async () => {
		// Many registrations from one address: these tests are about validation, not limits.
		relay = await startRelay({
			backend,
			domain: 'example.test',
			rateLimits: { registration: { burst: 1000, perMinute: 1000 } }
		});
	});
	afterAll(() => relay.stop());

	const registerWith = (json: unknown) => api(relay, 'POST', '/api/accounts', { json });

	function expectError(result: { status: number; body: unknown }, status: number, kind?: string) {
		expect(result.status).toBe(status);
		const { error } = result.body as { error: { kind: string; message: string } };
		expect(error.message.length).toBeGreaterThan(10);
		if (kind) expect(error.kind).toBe(kind);
		return error;
	}

	it('describes itself', async () => {
		const { status, body } = await api(relay, 'GET', '/api/info');
		expect(status).toBe(200);
		expect(body).toEqual({
			domain: 'example.test',
			origin: relay.url,
			version: 'test',
			powBits: 0
		});
	});

	it('registers an address with a matching key and returns its fingerprint', async () => {
		const key = await makeKey('Alice@Example.test');
		const result = await registerWith({ address: 'alice@example.test', publicKey: key.publicKey });
		expect(result.status).toBe(201);
		expect(result.body).toEqual({ address: 'alice@example.test', fingerprint: key.fingerprint });
	});

	it('refuses an address that is taken, whatever its case', async () => {
		const first = await makeKey('bob@example.test');
		expect(
			(await registerWith({ address: 'bob@example.test', publicKey: first.publicKey })).status
		).toBe(201);
		const second = await makeKey('bob@example.test');
		const result = await registerWith({ address: 'BOB@example.test', publicKey: second.publicKey });
		expectError(result, 409, 'address-taken');
	});

	it('refuses a key made for another address', async () => {
		const key = await makeKey('mallory@example.test');
		const error = expectError(
			await registerWith({ address: 'carol@example.test', publicKey: key.publicKey }),
			422,
			'invalid-key'
		);
		expect(error.message).toContain('mallory@example.test');
	});

	it('refuses an address on another domain', async () => {
		const key = await makeKey('dave@elsewhere.test');
		const error = expectError(
			await registerWith({ address: 'dave@elsewhere.test', publicKey: key.publicKey }),
			422,
			'wrong-domain'
		);
		expect(error.message).toContain('@example.test');
	});

	it('refuses a private key, armored as such or disguised as a public key block', async () => {
		const key = await makeKey('erin@example.test');
		const armoredPrivate = key.privateKey.armor();
		expectError(
			await registerWith({ address: 'erin@example.test', publicKey: armoredPrivate }),
			400
		);
		const disguised = openpgp.armor(openpgp.enums.armor.publicKey, key.privateKey.write());
		const error = expectError(
			await registerWith({ address: 'erin@example.test', publicKey: disguised }),
			422,
			'invalid-key'
		);
		expect(error.message).toContain('private key');
	});

	it('refuses an expired key and a revoked key', async () => {
		const expired = await makeKey('frank@example.test', {
			date: new Date(Date.now() - 10 * 86400_000),
			keyExpirationTime: 86400
		});
		const error = expectError(
			await registerWith({ address: 'frank@example.test', publicKey: expired.publicKey }),
			422,
			'invalid-key'
		);
		expect(error.message).toContain('expired');

		const fresh = await makeKey('frank@example.test');
		const { publicKey: revoked } = await openpgp.revokeKey({ key: fresh.privateKey });
		const revokedError = expectError(
			await registerWith({ address: 'frank@example.test', publicKey: revoked }),
			422,
			'invalid-key'
		);
		expect(revokedError.message).toContain('revoked');
	});

	it('refuses a block with two keys', async () => {
		const one = await makeKey('gina@example.test');
		const two = await makeKey('gina@example.test');
		const both = openpgp.armor(
			openpgp.enums.armor.publicKey,
			new Uint8Array([
				...(await openpgp.readKey({ armoredKey: one.publicKey })).write(),
				...(await openpgp.readKey({ armoredKey: two.publicKey })).write()
			])
		);
		const error = expectError(
			await registerWith({ address: 'gina@example.test', publicKey: both }),
			422,
			'invalid-key'
		);
		expect(error.message).toContain('2 keys');
	});

	it('refuses garbage armor', async () => {
		const garbage =
			'-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n-----END PGP PUBLIC KEY BLOCK-----';
		expectError(
			await registerWith({ address: 'hank@example.test', publicKey: garbage }),
			422,
			'invalid-key'
		);
		expectError(
			await registerWith({ address: 'hank@example.test', publicKey: 'hello' }),
			400,
			'invalid-request'
		);
	});

	it('explains wrong types, missing and unknown fields', async () => {
		const key = await makeKey('ivy@example.test');
		expectError(
			await registerWith({ address: 42, publicKey: key.publicKey }),
			400,
			'invalid-request'
		);
		expectError(await registerWith({ address: 'not an address', publicKey: key.publicKey }), 400);
		const missing = expectError(await registerWith({ address: 'ivy@example.test' }), 400);
		expect(missing.message).toContain('publicKey');
		const unknown = expectError(
			await registerWith({ address: 'ivy@example.test', publicKey: key.publicKey, admin: true }),
			400
		);
		expect(unknown.message).toContain('admin');
		expectError(await registerWith([1, 2]), 400);
		expectError(await registerWith(null), 400);
	});

	it('refuses malformed JSON, a wrong content type and an oversized body', async () => {
		const malformed = await api(relay, 'POST', '/api/accounts', { raw: '{"address": ' });
		expectError(malformed, 400, 'invalid-request');
		const wrongType = await api(relay, 'POST', '/api/accounts', {
			raw: '{}',
			headers: { 'content-type': 'text/plain' }
		});
		expectError(wrongType, 415, 'unsupported-media-type');
		const oversized = await api(relay, 'POST', '/api/accounts', {
			raw: JSON.stringify({
				address: 'x@example.test',
				publicKey: 'a'.repeat(LIMITS.bodyBytes.register)
			})
		});
		expectError(oversized, 413, 'payload-too-large');
		const badUtf8 = await fetch(`${relay.url}/api/accounts`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])
		});
		expect(badUtf8.status).toBe(400);
	});

	it('answers unknown routes with 404 and wrong methods with 405, in JSON', async () => {
		expectError(await api(relay, 'GET', '/api/nothing-here'), 404, 'not-found');
		const wrongMethod = await api(relay, 'GET', '/api/accounts');
		expectError(wrongMethod, 405, 'method-not-allowed');
		expect(wrongMethod.headers.get('allow')).toBe('POST');
		expectError(await api(relay, 'GET', '/api/keys/%E0%A4%A'), 400);
	});
});
