// The hostile relay double itself: honest until told to lie, lies only where told, and records
// what the client asked. Every attack test in this folder stands on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayClient } from '../../src/lib/client/relay-client';
import { startHostileRelay } from '../helpers/hostile-relay';
import { register, signChallenge } from '../relay/support';

describe('hostile relay double', () => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	beforeAll(async () => {
		setup = await startHostileRelay({ backend: 'sqlite' });
	});
	afterAll(() => setup.stop());

	it('passes the real protocol through, login included, until told to lie', async () => {
		const key = await register(setup.relay, 'honest@localhost');
		const client = new RelayClient(setup.hostile.url);
		await client.login('honest@localhost', (challenge) => signChallenge(key, challenge));
		expect(client.token).toBeTruthy();
		const honest = await client.lookup('honest@localhost');
		expect(honest.keys[0]?.fingerprint).toBe(key.fingerprint);

		const withdraw = setup.hostile.lie({
			method: 'GET',
			path: '/api/keys/honest@localhost',
			answer: () => ({
				status: 404,
				json: { error: { kind: 'not-found', message: 'No such key.' } }
			})
		});
		const refused = await client.lookup('honest@localhost').catch((error: unknown) => error);
		expect(refused).toMatchObject({ kind: 'not-found', status: 404 });
		withdraw();
		expect((await client.lookup('honest@localhost')).keys).toHaveLength(1);
	});

	it('can change an honest answer and records every request', async () => {
		const mark = setup.hostile.requests.length;
		setup.hostile.lie({
			method: 'GET',
			path: '/api/info',
			honest: true,
			times: 1,
			answer: (_request, honest) => ({
				json: { ...(honest!.json as object), domain: 'evil.example' }
			})
		});
		const client = new RelayClient(setup.hostile.url);
		expect((await client.info()).domain).toBe('evil.example');
		expect((await client.info()).domain).toBe('localhost');
		expect(setup.hostile.since(mark).map((request) => request.path)).toEqual([
			'/api/info',
			'/api/info'
		]);
	});
});
