import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn, type TestKey } from './support';

describe.each(backends())('mail (%s)', (backend) => {
	let relay: RunningRelay;
	const keys: Record<string, TestKey> = {};
	const tokens: Record<string, string> = {};

	beforeAll(async () => {
		relay = await startRelay({ backend });
		for (const name of ['alice', 'bob', 'carol']) {
			const address = `${name}@localhost`;
			keys[name] = await register(relay, address);
			tokens[name] = await signIn(relay, address, keys[name]!);
		}
	});
	afterAll(() => relay.stop());

	const send = (
		from: string,
		to: string[],
		message: string,
		headers: Record<string, string> = {}
	) => api(relay, 'POST', '/api/messages', { json: { to, message }, token: tokens[from], headers });
	const list = (who: string, query = '', as = who) =>
		api(relay, 'GET', `/api/mailboxes/${who}@localhost/messages${query}`, { token: tokens[as] });
	const read = (who: string, id: string, as = who) =>
		api(relay, 'GET', `/api/mailboxes/${who}@localhost/messages/${id}`, { token: tokens[as] });

	it('delivers one stored copy to each recipient and the sender, listed and fetched', async () => {
		const message = await encryptFor([keys.alice!, keys.bob!, keys.carol!], 'hello both');
		const sent = await send(
			'alice',
			['bob@localhost', 'CAROL@localhost', 'bob@localhost'],
			message
		);
		expect(sent.status).toBe(201);
		expect(sent.body.recipients).toEqual(['bob@localhost', 'carol@localhost']);
		const id = sent.body.id as string;

		for (const [who, folder] of [
			['bob', 'inbox'],
			['carol', 'inbox'],
			['alice', 'sent']
		] as const) {
			const listed = await list(who, `?folder=${folder}`);
			expect(listed.status).toBe(200);
			const entries = listed.body.messages.filter((m: { id: string }) => m.id === id);
			expect(entries).toEqual([
				{
					id,
					folder,
					from: 'alice@localhost',
					receivedAt: expect.any(String),
					size: Buffer.byteLength(message)
				}
			]);
			const fetched = await read(who, id);
			expect(fetched.status).toBe(200);
			expect(fetched.body).toMatchObject({
				id,
				folder,
				from: 'alice@localhost',
				to: ['bob@localhost', 'carol@localhost'],
				message
			});
		}

		const decrypted = await openpgp.decrypt({
			message: await openpgp.readMessage({ armoredMessage: (await read('bob', id)).body.message }),
			decryptionKeys: keys.bob!.privateKey
		});
		expect(decrypted.data).toBe('hello both');
		expect((await list('alice', '?folder=inbox')).body.messages).toEqual([]);
	});

	it('pages through a mailbox with the cursor, oldest first', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) {
			const sent = await send('bob', ['carol@localhost'], await encryptFor([keys.carol!], `n${i}`));
			ids.push(sent.body.id);
		}
		const all = await list('carol');
		const carolIds = all.body.messages.map((m: { id: string }) => m.id);
		expect(carolIds.slice(-3)).toEqual(ids);
		const start = await list('carol', `?after=0`);
		expect(start.body.messages.map((m: { id: string }) => m.id)).toEqual(carolIds);
		const afterFirst = await list('carol', `?folder=inbox&after=${all.body.cursor}`);
		expect(afterFirst.body).toEqual({ messages: [], cursor: all.body.cursor });
		const newer = await send('bob', ['carol@localhost'], await encryptFor([keys.carol!], 'n3'));
		const next = await list('carol', `?after=${all.body.cursor}`);
		expect(next.body.messages.map((m: { id: string }) => m.id)).toEqual([newer.body.id]);
		expect(Number(next.body.cursor)).toBeGreaterThan(Number(all.body.cursor));
	});

	it('lists at most `limit` messages, with a cursor that goes on from the last', async () => {
		const all = await list('carol', '?limit=1000');
		expect(all.body.messages.length).toBeGreaterThanOrEqual(4);
		const first = await list('carol', '?limit=2');
		expect(first.body.messages).toEqual(all.body.messages.slice(0, 2));
		const rest = await list('carol', `?limit=1000&after=${first.body.cursor}`);
		expect(rest.body.messages).toEqual(all.body.messages.slice(2));
	});

	it('refuses a limit outside 1 to 1000 in one sentence', async () => {
		for (const limit of ['0', '1001', '-5', '2.5', 'many', '']) {
			const answer = await list('carol', `?limit=${limit}`);
			expect(answer.status).toBe(400);
			expect(answer.body.error.message).toBe('The limit must be a whole number from 1 to 1000.');
		}
	});

	it('refuses a bad folder or cursor', async () => {
		expect((await list('alice', '?folder=trash')).status).toBe(400);
		expect((await list('alice', '?after=-1')).status).toBe(400);
		expect((await list('alice', '?after=abc')).status).toBe(400);
	});

	it('stores a send once per Idempotency-Key and refuses reusing the key for another message', async () => {
		const message = await encryptFor([keys.bob!], 'exactly once');
		const headers = { 'idempotency-key': 'send-7f3a' };
		const before = (await list('bob')).body.messages.length;
		const first = await send('alice', ['bob@localhost'], message, headers);
		const again = await send('alice', ['bob@localhost'], message, headers);
		expect(first.status).toBe(201);
		expect(again.status).toBe(201);
		expect(again.body).toEqual(first.body);
		expect((await list('bob')).body.messages.length).toBe(before + 1);

		// The key belongs to its sender: another sender's key does not collide.
		const fromCarol = await send('carol', ['bob@localhost'], message, headers);
		expect(fromCarol.status).toBe(201);
		expect(fromCarol.body.id).not.toBe(first.body.id);

		const other = await encryptFor([keys.bob!], 'something else');
		const reused = await send('alice', ['bob@localhost'], other, headers);
		expect(reused.status).toBe(422);
		expect(reused.body.error.kind).toBe('idempotency-key-reused');
		const tooLong = await send('alice', ['bob@localhost'], message, {
			'idempotency-key': 'k'.repeat(129)
		});
		expect(tooLong.status).toBe(400);
	});

	it('delivers exactly once when the same key is sent concurrently', async () => {
		const message = await encryptFor([keys.carol!], 'racing');
		const headers = { 'idempotency-key': 'race-1' };
		const results = await Promise.all(
			Array.from({ length: 5 }, () => send('bob', ['carol@localhost'], message, headers))
		);
		expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
		expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
		const copies = (await list('carol')).body.messages.filter(
			(m: { id: string }) => m.id === results[0]!.body.id
		);
		expect(copies.length).toBe(1);
	});

	it('never shows one user another user’s mailbox', async () => {
		const sent = await send('alice', ['bob@localhost'], await encryptFor([keys.bob!], 'private'));
		const id = sent.body.id as string;
		const listing = await list('bob', '', 'carol');
		expect(listing.status).toBe(403);
		expect(listing.body.error.kind).toBe('forbidden');
		expect((await list('bob', '?folder=sent', 'carol')).status).toBe(403);
		expect((await read('bob', id, 'carol')).status).toBe(403);
		// Through her own mailbox path carol cannot reach a message she did not get.
		const viaOwn = await read('carol', id);
		expect(viaOwn.status).toBe(404);
		expect((await read('carol', 'no-such-id')).status).toBe(404);
		expect((await read('carol', 'x'.repeat(200))).status).toBe(404);
	});

	it('names unknown recipients, and stores nothing', async () => {
		const before = (await list('alice', '?folder=sent')).body.messages.length;
		const message = await encryptFor([keys.bob!], 'to nobody');
		const unknown = await send('alice', ['bob@localhost', 'nobody@localhost'], message);
		expect(unknown.status).toBe(422);
		expect(unknown.body.error.kind).toBe('unknown-recipient');
		expect(unknown.body.error.message).toContain('nobody@localhost');
		// Remote recipients are not checked here: their relay decides (tests/relay/federation.test.ts).
		const mixed = await send('alice', ['dora@elsewhere.test', 'nobody@localhost'], message);
		expect(mixed.status).toBe(422);
		expect((await list('alice', '?folder=sent')).body.messages.length).toBe(before);
	});

	it('accepts only encrypted OpenPGP messages', async () => {
		const garbage =
			'-----BEGIN PGP MESSAGE-----\n\nbm90IGEgbWVzc2FnZQ==\n-----END PGP MESSAGE-----';
		const bad = await send('alice', ['bob@localhost'], garbage);
		expect(bad.status).toBe(400);
		expect(bad.body.error.kind).toBe('invalid-request');
		const plain = await openpgp.sign({
			message: await openpgp.createMessage({ text: 'readable by the relay' }),
			signingKeys: keys.alice!.privateKey
		});
		const signedOnly = await send('alice', ['bob@localhost'], plain);
		expect(signedOnly.status).toBe(400);
		expect(signedOnly.body.error.message).toContain('encrypted');
		expect((await send('alice', [], await encryptFor([keys.bob!], 'x'))).status).toBe(400);
	});
});
