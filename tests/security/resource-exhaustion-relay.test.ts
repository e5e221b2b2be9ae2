// Attacks that try to exhaust the relay: deep JSON from anyone, before anything is checked, and
// (below) an account storing without end. Both backends, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api } from '../relay/support';

/** A body just under the 5.5 MiB a delivery may have: one field holding ~5 MiB of `[[[…]]]`. */
function deepBody(): string {
	const depth = 2.5 * 1024 * 1024;
	return `{"id":"x","message":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** Milliseconds `GET /api/info` takes to answer. */
async function infoTime(relay: RunningRelay): Promise<number> {
	const started = performance.now();
	expect((await api(relay, 'GET', '/api/info')).status).toBe(200);
	return performance.now() - started;
}

describe.each(backends())('deep JSON (%s)', (backend) => {
	let relay: RunningRelay;
	beforeAll(async () => {
		relay = await startRelay({
			backend,
			rateLimits: { deliveryNetwork: { burst: 6, perMinute: 1 } }
		});
	});
	afterAll(() => relay.stop());

	it('refuses four ~5 MiB deeply nested deliveries quickly, and the relay keeps answering', async () => {
		const times: number[] = [];
		for (let index = 0; index < 5; index++) times.push(await infoTime(relay));
		const baseline = Math.max(...times);

		const body = deepBody();
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
		const during: number[] = [];
		while (!settled) during.push(await infoTime(relay));
		const answers = await attacks;
		const elapsed = performance.now() - started;

		// Generous bounds for a busy machine (this process also sends the 20 MiB): refusing took
		// under a second here, parsing the bodies as JSON took 4 to 7 seconds and held `GET
		// /api/info` up for up to 2.6 seconds.
		expect(elapsed).toBeLessThan(2500);
		expect(Math.max(...during)).toBeLessThan(baseline + 1000);
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
		// The four deep bodies above spent four of this network's six tries.
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
