import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, makeKey, register, signChallenge, signIn, testClock, type TestKey } from './support';

describe.each(backends())('sign-in and sessions (%s)', (backend) => {
	const clock = testClock();
	let relay: RunningRelay;
	let alice: TestKey;
	const address = 'alice@localhost';

	beforeAll(async () => {
		relay = await startRelay({ backend, now: clock.now });
		alice = await register(relay, address);
	});
	afterAll(() => relay.stop());

	const challenge = async (who = address) =>
		(await api(relay, 'POST', '/api/auth/challenge', { json: { address: who } })).body as {
			challenge: string;
			expiresAt: string;
		};
	const login = (json: unknown) => api(relay, 'POST', '/api/auth/sessions', { json });
	const inbox = (token: string) =>
		api(relay, 'GET', `/api/mailboxes/${address}/messages`, { token });

	it('issues a challenge naming the relay, the address, a nonce, its issue time and expiry', async () => {
		const { challenge: text, expiresAt } = await challenge();
		const issuedAt = new Date(Date.parse(expiresAt) - 5 * 60_000).toISOString();
		expect(text).toMatch(
			new RegExp(
				`^Letterlock login challenge v2\\nrelay: ${relay.url}\\naddress: ${address}\\nnonce: [A-Za-z0-9_-]{43}\\nissued: ${issuedAt}\\nexpires: ${expiresAt}$`
			)
		);
		const lifetime = new Date(expiresAt).getTime() - clock.now().getTime();
		expect(lifetime).toBeGreaterThan(4 * 60_000);
		expect(lifetime).toBeLessThanOrEqual(5 * 60_000);
	});

	it('refuses a signature by the right key without the login notation', async () => {
		// What an old client makes, and what a signature on a letter over the same text would be.
		// Its own account, so the login limit of alice's is left to the other tests.
		const olga = await register(relay, 'olga@localhost');
		const { challenge: text } = await challenge('olga@localhost');
		const result = await login({
			address: 'olga@localhost',
			challenge: text,
			signature: await signChallenge(olga, text, { marked: false })
		});
		expect(result.status).toBe(401);
		expect(result.body.error.message).toBe(
			'That signature is not marked as a login signature; update your Letterlock app, then sign in again.'
		);
		// The challenge was not spent: the same one, signed as a login, still works.
		const marked = await login({
			address: 'olga@localhost',
			challenge: text,
			signature: await signChallenge(olga, text)
		});
		expect(marked.status).toBe(201);
	});

	it('names its onion mirror in a challenge asked for through it, and signs in there too', async () => {
		const both = await startRelay({
			backend,
			publicOrigin: 'https://mail.example.org',
			mirrorOrigin: 'http://mirrorabc.onion'
		});
		try {
			const pia = await register(both, 'pia@localhost');
			// fetch sets Host itself; node:http sends the one a proxy in front (Tor) would.
			const ask = (host: string) =>
				new Promise<{ challenge: string }>((resolve, reject) => {
					const body = JSON.stringify({ address: 'pia@localhost' });
					const sent = request(
						`${both.url}/api/auth/challenge`,
						{ method: 'POST', headers: { host, 'content-type': 'application/json' } },
						(answer) => {
							let text = '';
							answer.on('data', (chunk: Buffer) => (text += chunk.toString()));
							answer.on('end', () => resolve(JSON.parse(text) as { challenge: string }));
						}
					);
					sent.on('error', reject);
					sent.end(body);
				});
			expect((await ask('mail.example.org')).challenge).toContain(
				'\nrelay: https://mail.example.org\n'
			);
			const { challenge: text } = await ask('mirrorabc.onion');
			expect(text).toContain('\nrelay: http://mirrorabc.onion\n');
			const result = await api(both, 'POST', '/api/auth/sessions', {
				json: {
					address: 'pia@localhost',
					challenge: text,
					signature: await signChallenge(pia, text)
				}
			});
			expect(result.status).toBe(201);
		} finally {
			await both.stop();
		}
	});

	it('has no challenge for an unknown address', async () => {
		const result = await api(relay, 'POST', '/api/auth/challenge', {
			json: { address: 'nobody@localhost' }
		});
		expect(result.status).toBe(404);
		expect(result.body.error.kind).toBe('unknown-address');
	});

	it('signs in with a signature from the registered key, and the token works', async () => {
		const { challenge: text } = await challenge();
		const result = await login({
			address,
			challenge: text,
			signature: await signChallenge(alice, text)
		});
		expect(result.status).toBe(201);
		expect(result.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(new Date(result.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
		expect((await inbox(result.body.token)).status).toBe(200);
	});

	it('refuses a signature from another key for the same address', async () => {
		const impostor = await makeKey(address);
		const { challenge: text } = await challenge();
		const result = await login({
			address,
			challenge: text,
			signature: await signChallenge(impostor, text)
		});
		expect(result.status).toBe(401);
		expect(result.body.error.message).toContain('signature');
	});

	it('refuses a signature over different text, and a tampered challenge', async () => {
		const { challenge: text } = await challenge();
		const otherText = text.replace('Letterlock login', 'Letterlock logout');
		const overOther = await login({
			address,
			challenge: text,
			signature: await signChallenge(alice, otherText)
		});
		expect(overOther.status).toBe(401);
		const tampered = await login({
			address,
			challenge: otherText,
			signature: await signChallenge(alice, otherText)
		});
		expect(tampered.status).toBe(401);
		const garbage = await login({
			address,
			challenge: text,
			signature: '-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----'
		});
		expect(garbage.status).toBe(401);
	});

	it('refuses a challenge issued for another address', async () => {
		const bob = await register(relay, 'bob@localhost');
		const { challenge: text } = await challenge('bob@localhost');
		const result = await login({
			address,
			challenge: text,
			signature: await signChallenge(bob, text)
		});
		expect(result.status).toBe(401);
	});

	it('refuses a replayed challenge', async () => {
		const { challenge: text } = await challenge();
		const signature = await signChallenge(alice, text);
		expect((await login({ address, challenge: text, signature })).status).toBe(201);
		const replay = await login({ address, challenge: text, signature });
		expect(replay.status).toBe(401);
		expect(replay.body.error.message).toContain('already used');
	});

	it('lets only one of two racing logins redeem a challenge', async () => {
		const { challenge: text } = await challenge();
		const signature = await signChallenge(alice, text);
		const results = await Promise.all(
			Array.from({ length: 5 }, () => login({ address, challenge: text, signature }))
		);
		expect(results.map((r) => r.status).sort()).toEqual([201, 401, 401, 401, 401]);
	});

	it('refuses an expired challenge', async () => {
		const { challenge: text } = await challenge();
		const signature = await signChallenge(alice, text);
		clock.advance(6 * 60_000);
		const result = await login({ address, challenge: text, signature });
		expect(result.status).toBe(401);
		expect(result.body.error.message).toContain('expired');
	});

	it('refuses a forged, malformed or missing token', async () => {
		const forged = await inbox('A'.repeat(43));
		expect(forged.status).toBe(401);
		expect(forged.headers.get('www-authenticate')).toBe('Bearer');
		expect((await inbox('short')).status).toBe(401);
		expect((await api(relay, 'GET', `/api/mailboxes/${address}/messages`)).status).toBe(401);
		const basic = await api(relay, 'GET', `/api/mailboxes/${address}/messages`, {
			headers: { authorization: 'Basic YWxpY2U6cGFzcw==' }
		});
		expect(basic.status).toBe(401);
	});

	it('refuses an expired token', async () => {
		const token = await signIn(relay, address, alice);
		expect((await inbox(token)).status).toBe(200);
		clock.advance(13 * 60 * 60_000);
		const result = await inbox(token);
		expect(result.status).toBe(401);
		expect(result.body.error.message).toContain('expired');
	});

	it('revokes the token on sign-out, and only that token', async () => {
		const token = await signIn(relay, address, alice);
		const other = await signIn(relay, address, alice);
		const out = await api(relay, 'DELETE', '/api/auth/sessions/current', { token });
		expect(out.status).toBe(204);
		expect((await inbox(token)).status).toBe(401);
		expect((await api(relay, 'DELETE', '/api/auth/sessions/current', { token })).status).toBe(401);
		expect((await inbox(other)).status).toBe(200);
	});
});
