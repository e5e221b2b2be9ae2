// New-mail notices over server-sent events: the owner trades a session token for a one-time
// ticket, opens the stream with it, and hears "mail" (and nothing of the mail) when something
// arrives, on SQLite in one process and across two relay processes on one PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendBatcher } from '../../src/lib/server/send-batcher';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn, testClock, type TestKey } from './support';

const ALICE = 'alice@localhost';
const BOB = 'bob@localhost';

interface EventStream {
	status: number;
	/** Resolves with everything received once `needle` has arrived. */
	waitFor(needle: string): Promise<string>;
	close(): Promise<void>;
}

async function ticketFor(relay: RunningRelay, address: string, token: string): Promise<string> {
	const issued = await api(relay, 'POST', `/api/mailboxes/${address}/event-tickets`, { token });
	expect(issued.status).toBe(201);
	expect(issued.body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
	return issued.body.ticket;
}

async function openStream(relay: RunningRelay, address: string, ticket: string) {
	const controller = new AbortController();
	const response = await fetch(
		`${relay.url}/api/mailboxes/${address}/events?ticket=${encodeURIComponent(ticket)}`,
		{ signal: controller.signal }
	);
	const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
	let received = '';
	const stream: EventStream = {
		status: response.status,
		async waitFor(needle) {
			while (!received.includes(needle)) {
				const { done, value } = await reader.read();
				if (done) throw new Error(`The stream ended without "${needle}": ${received}`);
				received += value;
			}
			return received;
		},
		async close() {
			controller.abort();
			await reader.cancel().catch(() => undefined);
		}
	};
	return { stream, contentType: response.headers.get('content-type') };
}

describe.each(backends())('mailbox events (%s)', (backend) => {
	const clock = testClock();
	let relay: RunningRelay;
	const keys: Record<string, TestKey> = {};
	const tokens: Record<string, string> = {};

	beforeAll(async () => {
		relay = await startRelay({ backend, now: clock.now });
		for (const address of [ALICE, BOB]) {
			keys[address] = await register(relay, address);
			tokens[address] = await signIn(relay, address, keys[address]!);
		}
	});
	afterAll(() => relay.stop());

	const sendToAlice = (text: string) =>
		encryptFor([keys[ALICE]!], text).then((message) =>
			api(relay, 'POST', '/api/messages', { token: tokens[BOB], json: { to: [ALICE], message } })
		);

	it('tells the owner that mail arrived, without its content or id', async () => {
		const { stream, contentType } = await openStream(
			relay,
			ALICE,
			await ticketFor(relay, ALICE, tokens[ALICE]!)
		);
		expect(stream.status).toBe(200);
		expect(contentType).toMatch(/^text\/event-stream/);
		await stream.waitFor('event: ready');
		const sent = await sendToAlice('hello over events');
		expect(sent.status).toBe(201);
		const received = await stream.waitFor('event: mail');
		expect(received).not.toContain(sent.body.id);
		expect(received).not.toContain(BOB);
		await stream.close();
	});

	it('announces every mailbox of letters stored at the same moment, together', async () => {
		// The notices of letters stored in one batch go out in one announcement (send-batcher.ts):
		// broken if gathering them kept only the first letter's mailboxes.
		const heard: string[] = [];
		const stop = await relay.storage.watchMailboxes((owner) => heard.push(owner));
		try {
			const batcher = new SendBatcher(relay.storage);
			await Promise.all([batcher.announce([ALICE]), batcher.announce([BOB, ALICE])]);
			await expect.poll(() => [...new Set(heard)].sort()).toEqual([ALICE, BOB]);
		} finally {
			await stop();
		}
	});

	it('refuses a used, expired, foreign or made-up ticket, and tickets for another mailbox', async () => {
		const ticket = await ticketFor(relay, ALICE, tokens[ALICE]!);
		const first = await openStream(relay, ALICE, ticket);
		expect(first.stream.status).toBe(200);
		await first.stream.close();
		const again = await api(relay, 'GET', `/api/mailboxes/${ALICE}/events?ticket=${ticket}`);
		expect(again.status).toBe(401);
		expect(again.body.error.message).toMatch(/ask for a new one/);

		const bobs = await ticketFor(relay, BOB, tokens[BOB]!);
		expect((await api(relay, 'GET', `/api/mailboxes/${ALICE}/events?ticket=${bobs}`)).status).toBe(
			401
		);
		expect((await api(relay, 'GET', `/api/mailboxes/${ALICE}/events?ticket=short`)).status).toBe(
			400
		);
		expect(
			(await api(relay, 'POST', `/api/mailboxes/${ALICE}/event-tickets`, { token: tokens[BOB] }))
				.status
		).toBe(403);

		const late = await ticketFor(relay, ALICE, tokens[ALICE]!);
		clock.advance(61_000);
		expect((await api(relay, 'GET', `/api/mailboxes/${ALICE}/events?ticket=${late}`)).status).toBe(
			401
		);
	});
});

describe.runIf(backends().includes('postgres'))('mailbox events across relay processes', () => {
	let first: RunningRelay;
	let second: RunningRelay;

	beforeAll(async () => {
		first = await startRelay({ backend: 'postgres' });
		second = await startRelay({ backend: 'postgres', schema: first.schema });
	});
	afterAll(async () => {
		await second.stop({ keep: true });
		await first.stop();
	});

	it('a subscriber on one relay hears mail delivered through another', async () => {
		const alice = await register(first, ALICE);
		const bob = await register(second, BOB);
		const aliceToken = await signIn(first, ALICE, alice);
		const bobToken = await signIn(second, BOB, bob);
		const { stream } = await openStream(first, ALICE, await ticketFor(first, ALICE, aliceToken));
		await stream.waitFor('event: ready');
		const sent = await api(second, 'POST', '/api/messages', {
			token: bobToken,
			json: { to: [ALICE], message: await encryptFor([alice], 'across processes') }
		});
		expect(sent.status).toBe(201);
		await stream.waitFor('event: mail');
		await stream.close();
	});
});
