// Deliveries from other relays are limited per sending relay, once its signature shows who it
// is: one relay flooding another is slowed down without holding up mail from any other relay.
// Before that, only a delivery that makes the relay look up an unknown sending domain counts,
// against the per-network lookup limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../helpers/relay-server';
import { register } from './support';
import { deliveryBody, postDelivery, relayPrivateKey, startPeer } from './federation-support';

describe('limits on deliveries from other relays', () => {
	const peers = new Map<string, string>();
	let one: RunningRelay;
	let two: RunningRelay;
	let three: RunningRelay;

	beforeAll(async () => {
		one = await startPeer('sqlite', 'one.example', peers);
		three = await startPeer('sqlite', 'three.example', peers);
		two = await startPeer('sqlite', 'two.example', peers, {
			rateLimits: { federation: { burst: 3, perMinute: 1 }, lookup: { burst: 2, perMinute: 1 } }
		});
	});
	afterAll(async () => {
		for (const relay of [one, two, three]) await relay.stop();
	});

	it('answers 429 to a relay past its limit and still takes mail from another relay', async () => {
		const bob = { address: 'bob@two.example', key: await register(two, 'bob@two.example') };
		const oneKey = await relayPrivateKey(one);
		const statuses: number[] = [];
		for (let index = 0; index < 4; index++) {
			const body = await deliveryBody('alice@one.example', bob);
			statuses.push((await postDelivery(two, body, oneKey)).status);
		}
		expect(statuses).toEqual([201, 201, 201, 429]);
		const limited = await postDelivery(two, await deliveryBody('alice@one.example', bob), oneKey);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(limited.body.error.message).toContain('deliveries from this relay');

		const fromThree = await postDelivery(
			two,
			await deliveryBody('carol@three.example', bob),
			await relayPrivateKey(three)
		);
		expect(fromThree.status).toBe(201);
	});

	it('counts deliveries naming sending domains it must look up against the network', async () => {
		// one.example and three.example used up the two lookups; their documents are cached now.
		const dan = { address: 'dan@two.example', key: await register(two, 'dan@two.example') };
		const unknown = await postDelivery(
			two,
			await deliveryBody('eve@nowhere.example', dan),
			await relayPrivateKey(one)
		);
		expect(unknown.status).toBe(429);
		const fromThree = await postDelivery(
			two,
			await deliveryBody('carol@three.example', dan),
			await relayPrivateKey(three)
		);
		expect(fromThree.status).toBe(201);
	});
});
