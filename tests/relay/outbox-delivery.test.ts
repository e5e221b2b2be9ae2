// The outbox's delivery against a real relay over HTTP: exactly one stored copy however often
// an item is retried, backoff when the relay is away, a stop with the relay's reason for a
// permanent refusal, and a fresh sign-in asked for when the token is refused. The outbox lives
// in the memory tables the browser falls back to (Node has no IndexedDB).
import { beforeEach, describe, expect, it } from 'vitest';
import { localDb, type LocalDb } from '../../src/lib/client/local-db';
import { sha256Hex } from '../../src/lib/client/attachments';
import { enqueue, type OutboxItem } from '../../src/lib/client/outbox';
import { outboxBlockStore } from '../../src/lib/client/outbox-blocks';
import { deliverOutbox, retryDelay } from '../../src/lib/client/outbox-delivery';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn, type TestKey } from './support';

describe('outbox delivery', () => {
	let db: LocalDb;
	let relay: RunningRelay;
	let alice: TestKey;
	let bob: TestKey;

	beforeEach(async () => {
		db = await localDb();
		for (const table of [db.outbox, db.relaySessions, db.outboxBlocks]) {
			for (const row of await table.getAll()) {
				await table.delete('id' in row ? row.id : 'hash' in row ? row.hash : row.address);
			}
		}
		// Bob does not know Alice: her mail needs a (small) proof-of-work stamp.
		relay = await startRelay({ backend: 'sqlite', powBits: 6 });
		alice = await register(relay, 'alice@localhost');
		bob = await register(relay, 'bob@localhost');
		await keepToken(await signIn(relay, 'alice@localhost', alice));
		return () => relay.stop();
	});

	async function keepToken(token: string, releaseWhenDrained = false): Promise<void> {
		const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
		await db.relaySessions.put({
			address: 'alice@localhost',
			token,
			expiresAt,
			releaseWhenDrained
		});
	}

	async function queue(
		to: string[] = ['bob@localhost'],
		attachments?: OutboxItem['attachments']
	): Promise<OutboxItem> {
		const message = await encryptFor([alice, bob], 'from the outbox');
		return enqueue(db, {
			id: `${crypto.randomUUID()}@localhost`,
			from: 'alice@localhost',
			to,
			message,
			attachments
		});
	}

	/** Blocks of random bytes stored on the device, as sending an attachment leaves them. */
	async function storedBlocks(count: number): Promise<{ sha256: string; size: number }[]> {
		const store = outboxBlockStore(db);
		const blocks = [];
		for (let index = 0; index < count; index++) {
			const bytes = crypto.getRandomValues(new Uint8Array(4096));
			const sha256 = await sha256Hex(bytes);
			await store.put(sha256, bytes);
			blocks.push({ sha256, size: bytes.byteLength });
		}
		return blocks;
	}

	/** A fetch that records each request as "METHOD /path", and fails PUTs after `putLimit`. */
	function recordingFetch(putLimit = Infinity) {
		const requests: string[] = [];
		let puts = 0;
		const recording: typeof fetch = async (input, init) => {
			const method = init?.method ?? 'GET';
			requests.push(`${method} ${new URL(String(input)).pathname}`);
			if (method === 'PUT' && ++puts > putLimit) throw new TypeError('network gone');
			return fetch(input, init);
		};
		return { requests, fetch: recording };
	}

	const item = async (id: string) => (await db.outbox.get(id))!;
	const deliver = (options: { force?: boolean; now?: () => Date } = {}) =>
		deliverOutbox(db, { relayBase: relay.url, ...options });

	async function inboxOfBob(): Promise<string[]> {
		const token = await signIn(relay, 'bob@localhost', bob);
		const { body } = await api(relay, 'GET', '/api/mailboxes/bob@localhost/messages', { token });
		return (body.messages as { id: string }[]).map((message) => message.id);
	}

	it('a retry after a lost answer gets the first answer back and stores no second copy', async () => {
		const queued = await queue();
		await deliver();
		const first = await item(queued.id);
		expect(first.state).toBe('sent');
		expect(first.relayId).toBeTruthy();

		// The answer never arrived: the item is still "sending" when the page comes back.
		await db.outbox.put({ ...first, state: 'sending', relayId: null, sentAt: null });
		await deliver();
		expect((await item(queued.id)).relayId).toBe(first.relayId);
		expect(await inboxOfBob()).toEqual([first.relayId]);
	});

	it('stamps an item queued without stamps (written offline) when the relay asks', async () => {
		const queued = await queue();
		expect(queued.stamps).toBeUndefined();
		await deliver();
		const sent = await item(queued.id);
		expect(sent.state).toBe('sent');
		expect(Object.keys(sent.stamps ?? {})).toEqual(['bob@localhost']);
		expect(await inboxOfBob()).toEqual([sent.relayId]);
	});

	it('waits with growing pauses while the relay is away, then delivers', async () => {
		const queued = await queue();
		await relay.stop({ keep: true });
		const away = await deliver();
		expect(away.retrying).toBe(1);
		const waiting = await item(queued.id);
		expect(waiting).toMatchObject({ state: 'queued', attempts: 1 });
		expect(waiting.problem).toContain('The relay cannot be reached');
		expect(Date.parse(waiting.nextAttemptAt)).toBeGreaterThan(Date.now());

		// Within the pause nothing is tried again, so the attempt count stays.
		await deliver();
		expect((await item(queued.id)).attempts).toBe(1);
		expect(retryDelay(1)).toBeLessThan(retryDelay(2));
		expect(retryDelay(30)).toBe(60_000);

		relay = await startRelay({ backend: 'sqlite', dataDir: relay.dataDir });
		await db.outbox.put({ ...(await item(queued.id)), nextAttemptAt: new Date().toISOString() });
		await db.relaySessions.put({
			...(await db.relaySessions.get('alice@localhost'))!,
			token: await signIn(relay, 'alice@localhost', alice)
		});
		await deliver();
		expect((await item(queued.id)).state).toBe('sent');
	});

	it('stops with the relay’s reason when it refuses the message for good', async () => {
		const queued = await queue(['nobody@localhost']);
		await deliver();
		const failed = await item(queued.id);
		expect(failed.state).toBe('failed');
		expect(failed.problem).toContain('There is no account nobody@localhost');
		await deliver({ force: true });
		expect((await item(queued.id)).attempts).toBe(0);
	});

	it('asks the page to sign in when the token is refused, and keeps the item queued', async () => {
		await keepToken('not-a-real-token');
		const queued = await queue();
		const result = await deliver();
		expect(result.needsSignIn).toEqual(['alice@localhost']);
		expect((await item(queued.id)).state).toBe('queued');
		expect(await db.relaySessions.get('alice@localhost')).toBeUndefined();
	});

	it('revokes a token kept only for delivery once the queued mail is out', async () => {
		const token = await signIn(relay, 'alice@localhost', alice);
		await keepToken(token, true);
		await queue();
		await deliver();
		expect(await db.relaySessions.get('alice@localhost')).toBeUndefined();
		const after = await api(relay, 'GET', '/api/mailboxes/alice@localhost/messages', { token });
		expect(after.status).toBe(401);
	});

	it('uploads the blocks first, then the message; after a break it sends only what is left', async () => {
		const blocks = await storedBlocks(5);
		const queued = await queue(
			['bob@localhost'],
			[{ blocks: blocks.slice(0, 2) }, { blocks: blocks.slice(2) }]
		);
		const broken = recordingFetch(2);
		const away = await deliverOutbox(db, { relayBase: relay.url, fetch: broken.fetch });
		expect(away.retrying).toBe(1);
		expect((await item(queued.id)).state).toBe('queued');
		expect(broken.requests.filter((request) => request.startsWith('POST /api/messages'))).toEqual(
			[]
		);
		const left = (await db.outboxBlocks.getAll()).map((record) => record.hash);
		expect(left).toHaveLength(3);

		// One of those reached the relay, but its answer was lost: HEAD spares sending it again.
		const [answerLost] = left;
		const bytes = new Uint8Array(
			await (await db.outboxBlocks.get(answerLost!))!.bytes.arrayBuffer()
		);
		const token = (await db.relaySessions.get('alice@localhost'))!.token;
		const put = await fetch(`${relay.url}/api/blocks/${answerLost}`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${token}` },
			body: bytes
		});
		expect(put.status).toBe(201);

		const again = recordingFetch();
		await deliverOutbox(db, { relayBase: relay.url, fetch: again.fetch, force: true });
		const sent = await item(queued.id);
		expect(sent.state).toBe('sent');
		const puts = again.requests.filter((request) => request.startsWith('PUT'));
		expect(puts.sort()).toEqual(
			left
				.slice(1)
				.map((hash) => `PUT /api/blocks/${hash}`)
				.sort()
		);
		expect(again.requests.at(-1)).toBe('POST /api/messages');
		expect(await db.outboxBlocks.getAll()).toEqual([]);
		expect(await inboxOfBob()).toEqual([sent.relayId]);
	});

	it('leaves a paused item alone, and does not bring back one cancelled while it uploads', async () => {
		const queued = await queue(['bob@localhost'], [{ blocks: await storedBlocks(2) }]);
		await db.outbox.put({ ...(await item(queued.id)), state: 'paused' });
		const paused = recordingFetch();
		await deliverOutbox(db, { relayBase: relay.url, fetch: paused.fetch, force: true });
		expect(paused.requests).toEqual([]);
		expect((await item(queued.id)).state).toBe('paused');

		await db.outbox.put({ ...(await item(queued.id)), state: 'queued' });
		const cancelling: typeof fetch = async (input, init) => {
			await db.outbox.delete(queued.id);
			return fetch(input, init);
		};
		await deliverOutbox(db, { relayBase: relay.url, fetch: cancelling, force: true });
		expect(await db.outbox.get(queued.id)).toBeUndefined();
	});
});
