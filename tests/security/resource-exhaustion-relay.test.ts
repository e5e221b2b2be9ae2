// Attacks that try to exhaust the relay: deep JSON from anyone, before anything is checked, and
// (below) an account storing without end. Both backends, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api } from '../relay/support';

const HALF = 2.5 * 1024 * 1024;
/** Bodies just under the 5.5 MiB a delivery may have: one field holding ~5 MiB of `[[[…]]]`, and
 * for comparison one holding a ~5 MiB string. */
const deepBody = () => `{"id":"x","message":${'['.repeat(HALF)}${']'.repeat(HALF)}}`;
const flatBody = () => `{"id":"x","message":"${'A'.repeat(2 * HALF)}"}`;

/** Milliseconds `GET /api/info` takes to answer. */
async function infoTime(relay: RunningRelay): Promise<number> {
	const started = performance.now();
	expect((await api(relay, 'GET', '/api/info')).status).toBe(200);
	return performance.now() - started;
}

/** Sends `body` as four deliveries at once and asks for `/api/info` until they are answered. */
async function flood(relay: RunningRelay, body: string) {
	const started = performance.now();
	let settled = false;
	const attacks = Promise.all(
		Array.from({ length: 4 }, () =>
			api(relay, 'POST', '/api/federation/deliveries', {
				raw: body,
				headers: { 'letterlock-signature': `ed25519=${'A'.repeat(86)}` }
			})
		)
	).finally(() => {
		settled = true;
	});
	const info: number[] = [];
	while (!settled) info.push(await infoTime(relay));
	const answers = await attacks;
	return { answers, elapsed: performance.now() - started, slowestInfo: Math.max(...info) };
}

describe.each(backends())('deep JSON (%s)', (backend) => {
	let relay: RunningRelay;
	beforeAll(async () => {
		relay = await startRelay({
			backend,
			rateLimits: { deliveryNetwork: { burst: 10, perMinute: 1 } }
		});
	});
	afterAll(() => relay.stop());

	it('refuses four ~5 MiB deeply nested deliveries quickly, and the relay keeps answering', async () => {
		// The same amount of bytes, shallow: what reading them costs on this (busy) machine.
		const flat = await flood(relay, flatBody());
		expect(flat.answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
		const { answers, elapsed, slowestInfo } = await flood(relay, deepBody());
		// Generous bounds: refusing the deep bodies costs about what the flat ones do; parsing them
		// as JSON took 4 to 7 seconds and held `GET /api/info` up for up to 2.6 seconds.
		expect(elapsed).toBeLessThan(2 * flat.elapsed + 1000);
		expect(slowestInfo).toBeLessThan(2 * flat.slowestInfo + 600);
		for (const answer of answers) {
			expect(answer.status).toBe(400);
			expect(answer.body.error.message).toBe('The request body nests deeper than 16 levels.');
		}
	});

	it('refuses deep JSON on every endpoint, before looking at what it says', async () => {
		const nested = `{"address":${'['.repeat(17)}${']'.repeat(17)}}`;
		const answer = await api(relay, 'POST', '/api/auth/challenge', { raw: nested });
		expect(answer.status).toBe(400);
		expect(answer.body.error.message).toBe('The request body nests deeper than 16 levels.');
		const brackets = JSON.stringify({ address: '[[[[[[[[[[[[[[[[[[[[@localhost' });
		expect((await api(relay, 'POST', '/api/auth/challenge', { raw: brackets })).status).toBe(400);
		expect(
			(await api(relay, 'POST', '/api/auth/challenge', { raw: brackets })).body.error.message
		).not.toContain('nests');
	});

	it('limits deliveries per network before reading them', async () => {
		// The eight bodies above spent eight of this network's ten tries.
		const statuses: number[] = [];
		for (let index = 0; index < 3; index++) {
			const answer = await api(relay, 'POST', '/api/federation/deliveries', {
				raw: '{}',
				headers: { 'letterlock-signature': `ed25519=${'A'.repeat(86)}` }
			});
			statuses.push(answer.status);
		}
		expect(statuses).toEqual([400, 400, 429]);
	});
});
