// PUT /api/keys/{address}: the owner extends, revokes or rotates their key through the
// directory; nothing else gets through, on both storage backends.
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, makeKey, register, signIn, type TestKey } from './support';

/** `key` re-signed with a new expiry, as a client extending it would publish it. */
async function extended(key: TestKey, seconds: number): Promise<string> {
	const { publicKey } = await openpgp.reformatKey({
		privateKey: key.privateKey,
		userIDs: key.privateKey.users.map((user) => ({ email: user.userID!.email, name: 'Test' })),
		keyExpirationTime: seconds
	});
	return publicKey;
}

async function published(relay: RunningRelay, address: string) {
	const { body } = await api(relay, 'GET', `/api/keys/${address}`);
	return body.keys as { fingerprint: string; publicKey: string }[];
}

describe.each(backends())('publishing key updates (%s)', (backend) => {
	let relay: RunningRelay;

	beforeAll(async () => {
		relay = await startRelay({ backend, domain: 'example.org' });
	});
	afterAll(() => relay.stop());

	/** `made`: when the key was made; an extension must be signed later than that to win. */
	async function account(local: string, made?: Date) {
		const address = `${local}@example.org`;
		const key = made ? await makeKey(address, { date: made }) : await register(relay, address);
		if (made) {
			await api(relay, 'POST', '/api/accounts', { json: { address, publicKey: key.publicKey } });
		}
		const token = await signIn(relay, address, key);
		const put = (publicKey: string, as = token) =>
			api(relay, 'PUT', `/api/keys/${address}`, { token: as, json: { publicKey } });
		return { address, key, token, put };
	}

	it('takes a longer expiry for the same key and serves it', async () => {
		const { address, key, put } = await account('ext', new Date(Date.now() - 3600_000));
		const result = await put(await extended(key, 3 * 365 * 24 * 3600));
		expect(result.status).toBe(200);
		expect(result.body).toEqual({ address, fingerprint: key.fingerprint, change: 'updated' });
		const [served] = await published(relay, address);
		const expires = await (
			await openpgp.readKey({ armoredKey: served!.publicKey })
		).getExpirationTime();
		expect(expires).toBeInstanceOf(Date);
		expect((expires as Date).getFullYear()).toBeGreaterThan(new Date().getFullYear() + 1);
	});

	it('rotates to a key the current one certifies, and refuses one it does not', async () => {
		const { address, key, put } = await account('rot');
		const stranger = await makeKey(address);
		const refused = await put(stranger.publicKey);
		expect(refused.status).toBe(422);
		expect(refused.body.error.message).toContain('not certified by your current key');

		const successor = await makeKey(address);
		const certified = await successor.privateKey.signPrimaryUser([key.privateKey]);
		const result = await put(certified.toPublic().armor());
		expect(result.status).toBe(200);
		expect(result.body.change).toBe('rotated');
		const served = await published(relay, address);
		expect(served.map((k) => k.fingerprint)).toEqual([successor.fingerprint]);
		// The new key signs the owner in from now on; the old one no longer does.
		await expect(signIn(relay, address, successor)).resolves.toBeTruthy();
		await expect(signIn(relay, address, key)).rejects.toThrow('sign-in failed');
	});

	it('publishes a revocation, which no later upload can take back', async () => {
		const { address, key, put } = await account('rev');
		const { publicKey: revoked } = await openpgp.revokeKey({ key: key.privateKey });
		const result = await put(revoked);
		expect(result.status).toBe(200);
		expect(result.body.change).toBe('revoked');
		const [served] = await published(relay, address);
		const servedKey = await openpgp.readKey({ armoredKey: served!.publicKey });
		expect(await servedKey.isRevoked()).toBe(true);

		const again = await put(key.publicKey);
		expect(again.status).toBe(409);
		expect(again.body.error.message).toContain('stays revoked');
		expect(
			await (
				await openpgp.readKey({ armoredKey: (await published(relay, address))[0]!.publicKey })
			).isRevoked()
		).toBe(true);
	});

	it('refuses another account, a private key and garbage without changing anything', async () => {
		const owner = await account('own');
		const other = await account('oth');
		const before = await published(relay, owner.address);
		expect((await owner.put(owner.key.publicKey, other.token)).status).toBe(403);
		const secret = await owner.put(owner.key.privateKey.armor());
		expect([400, 422]).toContain(secret.status);
		const garbage = await owner.put(
			'-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----'
		);
		expect([400, 422]).toContain(garbage.status);
		// Another person's key, even certified by nobody, cannot stand for this address.
		const foreign = await owner.put(other.key.publicKey);
		expect(foreign.status).toBe(422);
		expect(await published(relay, owner.address)).toEqual(before);
	});
});
