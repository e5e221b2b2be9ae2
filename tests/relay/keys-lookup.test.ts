// POST /api/keys/lookup: a page of senders resolved in one request, each answer as the single
// lookup would give it, and counted once by the per-network lookup limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/lib/protocol';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, register, type TestKey } from './support';

describe.each(backends())('batched key lookups (%s)', (backend) => {
	let relay: RunningRelay;
	let alice: TestKey;
	let bob: TestKey;

	beforeAll(async () => {
		relay = await startRelay({ backend, domain: 'example.org' });
		alice = await register(relay, 'alice@example.org');
		bob = await register(relay, 'bob@example.org');
	});
	afterAll(() => relay.stop());

	it('answers every address asked once, with its keys, no key, or an unreachable relay', async () => {
		const { status, body } = await api(relay, 'POST', '/api/keys/lookup', {
			json: {
				addresses: [
					'Alice@Example.org',
					'nobody@example.org',
					'bob@example.org',
					'alice@example.org',
					'carol@elsewhere.example'
				]
			}
		});
		expect(status).toBe(200);
		const byAddress = new Map(
			body.answers.map((answer: { address: string }) => [answer.address, answer])
		);
		expect(body.answers).toHaveLength(4);
		expect(byAddress.get('alice@example.org')).toMatchObject({
			status: 'found',
			conflict: false,
			keys: [{ fingerprint: alice.fingerprint }]
		});
		expect(byAddress.get('bob@example.org')).toMatchObject({
			status: 'found',
			keys: [{ fingerprint: bob.fingerprint }]
		});
		expect(byAddress.get('nobody@example.org')).toEqual({
			status: 'unknown',
			address: 'nobody@example.org'
		});
		// Another domain's address is answered as the single lookup answers it (here: no relay).
		const single = await api(relay, 'GET', '/api/keys/carol@elsewhere.example');
		expect(byAddress.get('carol@elsewhere.example')).toMatchObject({
			status: single.status === 404 ? 'unknown' : 'unavailable'
		});
	});

	it('refuses an empty batch, too many addresses and a non-address with one sentence', async () => {
		const cases = [
			[[], 'Ask about at least one address.'],
			[
				Array.from({ length: LIMITS.lookupBatch + 1 }, (_, index) => `p${index}@example.org`),
				`Ask about at most ${LIMITS.lookupBatch} addresses at once.`
			],
			[['not-an-address'], /That is not a valid address/]
		] as const;
		for (const [addresses, sentence] of cases) {
			const { status, body } = await api(relay, 'POST', '/api/keys/lookup', {
				json: { addresses }
			});
			expect(status).toBe(400);
			expect(body.error.message).toMatch(sentence);
		}
	});

	it('counts a whole batch as one lookup against the per-network limit', async () => {
		const tight = await startRelay({ backend, rateLimits: { lookup: { burst: 2, perMinute: 1 } } });
		try {
			const many = Array.from({ length: LIMITS.lookupBatch }, (_, index) => `p${index}@localhost`);
			const ask = () => api(tight, 'POST', '/api/keys/lookup', { json: { addresses: many } });
			expect((await ask()).status).toBe(200);
			expect((await ask()).status).toBe(200);
			const limited = await ask();
			expect(limited.status).toBe(429);
			expect(limited.body.error.kind).toBe('rate-limited');
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		} finally {
			await tight.stop();
		}
	});
});
