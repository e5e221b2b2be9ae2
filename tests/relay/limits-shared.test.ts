// Rate limits with several relay processes on one PostgreSQL: two relays on one schema (each
// with its own connections and its own memory, as two processes behind a load balancer would
// be) count one client's requests together, so spreading them over both does not double the
// limit. SQLite has one process per data directory, so this is PostgreSQL's alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api } from './support';

const LOOKUPS = { burst: 4, perMinute: 2 };

describe.skipIf(!backends().includes('postgres'))('rate limits shared through PostgreSQL', () => {
	let one: RunningRelay;
	let two: RunningRelay;

	beforeAll(async () => {
		one = await startRelay({
			backend: 'postgres',
			sharedRateLimits: true,
			rateLimits: { lookup: LOOKUPS }
		});
		two = await startRelay({
			backend: 'postgres',
			schema: one.schema,
			sharedRateLimits: true,
			rateLimits: { lookup: LOOKUPS }
		});
	});
	afterAll(async () => {
		await two.stop({ keep: true });
		await one.stop();
	});

	it('holds a limit across two relay processes, each answering its share', async () => {
		const lookup = (relay: RunningRelay) => api(relay, 'GET', '/api/keys/nobody@localhost');
		const statuses = [];
		for (const relay of [one, two, one, two]) statuses.push((await lookup(relay)).status);
		expect(statuses).toEqual([404, 404, 404, 404]);
		// Each process has seen only two lookups, but the burst of four is spent on both.
		for (const relay of [one, two]) {
			const refused = await lookup(relay);
			expect(refused.status).toBe(429);
			expect(refused.body.error.message).toMatch(/^Too many key lookups from your network in/);
			const retryAfter = Number(refused.headers.get('retry-after'));
			expect(retryAfter).toBeGreaterThan(0);
			// A burst of 4 at 2 a minute comes back within 2 minutes.
			expect(retryAfter).toBeLessThanOrEqual(120);
		}
	});

	it('keeps neither client addresses nor mail addresses in the table', async () => {
		const { rows } = await one.storage.sharedCounters!.query({
			text: 'SELECT key FROM rate_limits'
		});
		expect(rows.length).toBeGreaterThan(0);
		for (const { key } of rows as { key: string }[]) expect(key).toMatch(/^\w+:[0-9a-f]{64}$/);
	});
});
