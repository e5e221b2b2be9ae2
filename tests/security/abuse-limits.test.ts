// Attack: a stranger locks a person out of signing in. The login and recovery limits slow down
// guessing; if they counted per address alone, anyone could spend an address's tries and the
// owner would be turned away from their own account. They count per address and client network
// (logins) or per client network (recovery), so the stranger is slowed down and the owner is not.
// Both backends, over real HTTP; the relay takes the client's address from a proxy header.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signChallenge, signIn, type TestKey } from '../relay/support';

const CLIENT = 'x-test-client';
const secret = () => randomBytes(32).toString('base64url');

describe.each(backends())('a stranger cannot lock someone out of signing in (%s)', (backend) => {
	let relay: RunningRelay;
	let key: TestKey;
	const lookup = secret();
	const from = (network: string) => ({ [CLIENT]: network });
	const stranger = from('203.0.113.66');
	const home = from('198.51.100.7');

	beforeAll(async () => {
		// As a deployed relay runs: on PostgreSQL the limits are the ones shared between processes.
		relay = await startRelay({ backend, clientAddressHeader: CLIENT, sharedRateLimits: true });
		key = await register(relay, 'victim@localhost');
		const token = await signIn(relay, 'victim@localhost', key);
		const backup = await encryptFor([key], 'stands in for a sealed backup');
		const put = await api(relay, 'PUT', '/api/recovery', { token, json: { lookup, backup } });
		expect(put.status).toBe(201);
	});
	afterAll(() => relay.stop());

	/** Repeats `attempt` from the stranger's network until the relay says 429 (at most `max`). */
	async function exhaust(attempt: () => Promise<{ status: number }>, max = 200): Promise<void> {
		for (let tries = 0; tries < max; tries++) {
			if ((await attempt()).status === 429) return;
		}
		throw new Error(`no rate limit after ${max} attempts`);
	}

	it('the stranger spends every login and recovery try for victim@ and is slowed down', async () => {
		await exhaust(() =>
			api(relay, 'POST', '/api/auth/challenge', {
				headers: stranger,
				json: { address: 'victim@localhost' }
			})
		);
		const { challenge } = (
			await api(relay, 'POST', '/api/auth/challenge', {
				headers: home,
				json: { address: 'victim@localhost' }
			})
		).body;
		const forged = await signChallenge(await register(relay, 'mallory@localhost'), challenge);
		await exhaust(() =>
			api(relay, 'POST', '/api/auth/sessions', {
				headers: stranger,
				json: { address: 'victim@localhost', challenge, signature: forged }
			})
		);
		await exhaust(() =>
			api(relay, 'POST', '/api/recovery/open', {
				headers: stranger,
				json: { address: 'victim@localhost', lookup: secret() }
			})
		);
		const stillLimited = await api(relay, 'POST', '/api/auth/challenge', {
			headers: stranger,
			json: { address: 'victim@localhost' }
		});
		expect(stillLimited.status).toBe(429);
	});

	it('the victim, from their own network, still signs in and opens their recovery backup', async () => {
		const asked = await api(relay, 'POST', '/api/auth/challenge', {
			headers: home,
			json: { address: 'victim@localhost' }
		});
		expect(asked.status).toBe(200);
		const signature = await signChallenge(key, asked.body.challenge);
		const session = await api(relay, 'POST', '/api/auth/sessions', {
			headers: home,
			json: { address: 'victim@localhost', challenge: asked.body.challenge, signature }
		});
		expect(session.status).toBe(201);
		expect(session.body.token).toBeTruthy();

		const opened = await api(relay, 'POST', '/api/recovery/open', {
			headers: home,
			json: { address: 'victim@localhost', lookup }
		});
		expect(opened.status).toBe(200);
		expect(opened.body.backup).toContain('-----BEGIN PGP MESSAGE-----');
	});
});
