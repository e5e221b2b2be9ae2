// Recovery backups and device transfers: the relay keeps ciphertext for its owner, hands a
// recovery backup only to whoever knows the phrase's lookup secret, and a transfer only once,
// within minutes. Both backends, over real HTTP.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn, testClock, type TestKey } from './support';

const secret = () => randomBytes(32).toString('base64url');

describe.each(backends())('recovery backups and transfers (%s)', (backend) => {
	let relay: RunningRelay;
	let key: TestKey;
	let token: string;
	let otherToken: string;
	let backup: string;
	const clock = testClock();

	beforeAll(async () => {
		relay = await startRelay({
			backend,
			now: clock.now,
			rateLimits: { recovery: { burst: 6, perMinute: 1 } }
		});
		key = await register(relay, 'rosa@localhost');
		token = await signIn(relay, 'rosa@localhost', key);
		otherToken = await signIn(relay, 'omar@localhost', await register(relay, 'omar@localhost'));
		backup = await encryptFor([key], 'stands in for a sealed backup');
	});
	afterAll(() => relay.stop());
	// Each test starts with refilled rate limits.
	beforeEach(() => clock.advance(60 * 60 * 1000));

	it('keeps one recovery backup per account and opens it only with the lookup secret', async () => {
		const lookup = secret();
		const put = await api(relay, 'PUT', '/api/recovery', { token, json: { lookup, backup } });
		expect(put.status).toBe(201);
		expect((await api(relay, 'GET', '/api/recovery', { token })).body).toEqual(put.body);
		// The relay keeps a hash of the lookup secret, never the secret.
		const stored = await relay.storage.backups.getRecovery('rosa@localhost');
		expect(stored?.lookupHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(stored)).not.toContain(lookup);

		const opened = await api(relay, 'POST', '/api/recovery/open', {
			json: { address: 'rosa@localhost', lookup }
		});
		expect(opened).toMatchObject({ status: 200, body: { backup } });
		// A wrong secret and an address without a backup get the same answer.
		const wrong = await api(relay, 'POST', '/api/recovery/open', {
			json: { address: 'rosa@localhost', lookup: secret() }
		});
		const nobody = await api(relay, 'POST', '/api/recovery/open', {
			json: { address: 'omar@localhost', lookup }
		});
		expect(wrong.status).toBe(404);
		expect(nobody.body).toEqual(wrong.body);
		expect(wrong.body.error.message).toMatch(/check the address and every word/);

		// A new phrase replaces the backup: the old secret opens nothing any more.
		const replacement = await api(relay, 'PUT', '/api/recovery', {
			token,
			json: { lookup: secret(), backup }
		});
		expect(replacement.status).toBe(200);
		const stale = await api(relay, 'POST', '/api/recovery/open', {
			json: { address: 'rosa@localhost', lookup }
		});
		expect(stale.status).toBe(404);
		expect((await api(relay, 'DELETE', '/api/recovery', { token })).status).toBe(204);
		expect((await api(relay, 'GET', '/api/recovery', { token })).status).toBe(404);
	});

	it('refuses malformed recovery requests with a sentence', async () => {
		const cases = [
			{ lookup: 'short', backup },
			{ lookup: secret(), backup: 'plain text, not a sealed backup' },
			{ lookup: secret(), backup, extra: true },
			{ lookup: secret() }
		];
		for (const json of cases) {
			const refused = await api(relay, 'PUT', '/api/recovery', { token, json });
			expect(refused.status, JSON.stringify(json)).toBe(400);
			expect(refused.body.error.message).toMatch(/\w+ \w+.*\.$/);
		}
		const anonymous = await api(relay, 'PUT', '/api/recovery', {
			json: { lookup: secret(), backup }
		});
		expect(anonymous.status).toBe(401);
	});

	it('hands a transfer out once, to anyone holding its id, and tells the owner', async () => {
		const id = secret();
		const put = await api(relay, 'PUT', `/api/transfers/${id}`, { token, json: { backup } });
		expect(put.status).toBe(201);
		expect(put.body.claimed).toBe(false);
		expect(Date.parse(put.body.expiresAt) - clock.now().getTime()).toBeLessThanOrEqual(600_000);
		expect(
			(await api(relay, 'PUT', `/api/transfers/${id}`, { token, json: { backup } })).status
		).toBe(409);
		// Someone else's transfer does not exist for another account.
		expect((await api(relay, 'GET', `/api/transfers/${id}`, { token: otherToken })).status).toBe(
			404
		);

		// Two devices claim at once: exactly one gets the ciphertext.
		const claims = await Promise.all(
			[1, 2, 3].map(() => api(relay, 'POST', `/api/transfers/${id}/claim`))
		);
		expect(claims.map((claim) => claim.status).sort()).toEqual([200, 404, 404]);
		expect(claims.find((claim) => claim.status === 200)?.body).toEqual({ backup });
		const status = await api(relay, 'GET', `/api/transfers/${id}`, { token });
		expect(status.body).toEqual({ expiresAt: put.body.expiresAt, claimed: true });
		expect(
			JSON.stringify(await relay.storage.backups.getTransfer(id, new Date().toISOString()))
		).not.toContain('BEGIN PGP');
	});

	it('forgets a transfer when it expires or its owner cancels it', async () => {
		const expiring = secret();
		await api(relay, 'PUT', `/api/transfers/${expiring}`, { token, json: { backup } });
		clock.advance(10 * 60 * 1000 + 1000);
		const late = await api(relay, 'POST', `/api/transfers/${expiring}/claim`);
		expect(late.status).toBe(404);
		expect(late.body.error.message).toMatch(/expired; ask the other device for a new one/);

		const cancelled = secret();
		await api(relay, 'PUT', `/api/transfers/${cancelled}`, { token, json: { backup } });
		expect(
			(await api(relay, 'DELETE', `/api/transfers/${cancelled}`, { token: otherToken })).status
		).toBe(404);
		expect((await api(relay, 'DELETE', `/api/transfers/${cancelled}`, { token })).status).toBe(204);
		expect((await api(relay, 'POST', `/api/transfers/${cancelled}/claim`)).status).toBe(404);
		expect((await api(relay, 'POST', '/api/transfers/not-an-id/claim')).status).toBe(400);
	});

	it('slows down guessing: too many fetches answer 429 with Retry-After', async () => {
		const answers = [];
		for (let i = 0; i < 8; i++) {
			answers.push(
				await api(relay, 'POST', '/api/recovery/open', {
					json: { address: 'rosa@localhost', lookup: secret() }
				})
			);
		}
		expect(answers.map((answer) => answer.status)).toContain(429);
		const limited = answers.find((answer) => answer.status === 429)!;
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	// Last: the relay answers before reading the oversized body, which ends the connection.
	it('refuses a backup above its size limit', async () => {
		const tooLarge = await api(relay, 'PUT', '/api/recovery', {
			token,
			json: { lookup: secret(), backup: `${backup}${'A'.repeat(2 * 1024 * 1024)}` }
		});
		expect(tooLarge.status).toBe(413);
	});
});
