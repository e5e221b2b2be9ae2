// Two relay processes' worth of relays (two instances sharing nothing but one PostgreSQL schema)
// drain one outbound queue of 1,000 messages: every item reaches the receiving relay exactly once,
// and both instances take part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { backends, type RunningRelay } from '../helpers/relay-server';
import { openPostgresStorage } from '../../src/lib/server/storage/open';
import { api, encryptFor, register, signIn, type TestKey } from './support';
import { eventually, startPeer } from './federation-support';

const ITEMS = 1000;
const DELIVERY_ROUTE = 'POST /api/federation/deliveries';

describe.runIf(backends().includes('postgres'))('one queue, two relay processes (postgres)', () => {
	const peers = new Map<string, string>();
	const schema = `test_${randomBytes(6).toString('hex')}`;
	const url = process.env.LETTERLOCK_TEST_DATABASE_URL!;
	let receiver: RunningRelay;
	const senders: RunningRelay[] = [];
	let bob: TestKey;

	beforeAll(async () => {
		receiver = await startPeer('sqlite', 'two.example', peers);
		bob = await register(receiver, 'bob@two.example');
		const message = await encryptFor([bob], 'one of many');
		// The queue is filled before either sender starts, as if a busy relay had just restarted.
		const seed = await openPostgresStorage(url, { schema });
		const createdAt = new Date().toISOString();
		for (let start = 0; start < ITEMS; start += 50) {
			await Promise.all(
				Array.from({ length: Math.min(50, ITEMS - start) }, () =>
					seed.storeMessage({
						id: randomUUID(),
						sender: 'alice@one.example',
						recipients: [],
						outbound: [{ domain: 'two.example', recipients: ['bob@two.example'] }],
						armored: message,
						size: message.length,
						createdAt
					})
				)
			);
		}
		await seed.close();
		for (let index = 0; index < 2; index++) {
			senders.push(await startPeer('postgres', 'one.example', peers, { schema }));
		}
	});
	afterAll(async () => {
		await senders[0]?.stop({ keep: true });
		await senders[1]?.stop();
		await receiver.stop();
	});

	it('delivers each of 1,000 queued items once', { timeout: 240_000 }, async () => {
		const sql = postgres(url, { onnotice: () => {}, connection: { search_path: schema } });
		try {
			await eventually(
				async () => {
					const [row] = await sql<{ done: string }[]>`
					SELECT count(*) AS done FROM outbound_queue WHERE state = 'delivered'`;
					return Number(row!.done) === ITEMS;
				},
				'the queue to drain',
				180_000
			);
		} finally {
			await sql.end();
		}
		const requests = receiver.logs
			.filter((line) => line.startsWith('{'))
			.map((line) => JSON.parse(line) as { route?: string; method?: string; status?: number })
			.filter((entry) => `${entry.method} ${entry.route}` === DELIVERY_ROUTE);
		// Exactly one request per item: no item was sent twice, not even as a harmless replay.
		expect(requests).toHaveLength(ITEMS);
		expect(requests.every((entry) => entry.status === 201)).toBe(true);

		const token = await signIn(receiver, 'bob@two.example', bob);
		let filed = 0;
		let cursor = '0';
		for (;;) {
			const page = await api(
				receiver,
				'GET',
				`/api/mailboxes/bob@two.example/messages?after=${cursor}`,
				{
					token
				}
			);
			if (page.body.messages.length === 0) break;
			filed += page.body.messages.length;
			cursor = page.body.cursor;
		}
		expect(filed).toBe(ITEMS);

		const perSender = senders.map(
			(relay) => relay.logs.filter((line) => line.includes('"outcome":"delivered"')).length
		);
		expect(perSender[0]! + perSender[1]!).toBe(ITEMS);
		expect(perSender.every((count) => count > 0)).toBe(true);
	});
});
