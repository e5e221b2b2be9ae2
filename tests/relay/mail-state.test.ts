import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { snapshotter, type Snapshotter } from '../helpers/snapshot';
import { api, encryptFor, register, signIn, type TestKey } from './support';

describe.each(backends())('mail state log and deleting for good (%s)', (backend) => {
	let relay: RunningRelay;
	let snapshots: Snapshotter;
	const keys: Record<string, TestKey> = {};
	const tokens: Record<string, string> = {};

	beforeAll(async () => {
		relay = await startRelay({ backend });
		snapshots = snapshotter(relay);
		for (const name of ['alice', 'bob']) {
			keys[name] = await register(relay, `${name}@localhost`);
			tokens[name] = await signIn(relay, `${name}@localhost`, keys[name]!);
		}
	});
	afterAll(async () => {
		await snapshots.close();
		await relay.stop();
	});

	const append = (who: string, body: unknown) =>
		api(relay, 'POST', `/api/mailboxes/${who}@localhost/state`, { json: body, token: tokens[who] });
	const log = (who: string, query = '') =>
		api(relay, 'GET', `/api/mailboxes/${who}@localhost/state${query}`, { token: tokens[who] });

	it('keeps encrypted entries in order, lists them after a cursor and compacts on request', async () => {
		const entries = await Promise.all(
			['one', 'two', 'three'].map((text) => encryptFor([keys.alice!], text))
		);
		const seqs: number[] = [];
		for (const entry of entries) {
			const appended = await append('alice', { entry });
			expect(appended.status).toBe(201);
			seqs.push(appended.body.seq);
		}
		expect(seqs).toEqual([1, 2, 3]);
		const all = await log('alice');
		expect(all.body.entries.map((e: { entry: string }) => e.entry)).toEqual(entries);
		expect(all.body.cursor).toBe('3');
		const newer = await log('alice', '?after=2');
		expect(newer.body.entries.map((e: { seq: number }) => e.seq)).toEqual([3]);
		expect((await log('alice', '?after=3')).body).toEqual({ entries: [], cursor: '3' });
		// Bob's log is his own.
		expect((await log('bob')).body.entries).toEqual([]);

		const snapshot = await encryptFor([keys.alice!], 'everything so far');
		const compacted = await append('alice', { entry: snapshot, compactThrough: 3 });
		expect(compacted.body.seq).toBe(4);
		expect((await log('alice')).body.entries.map((e: { entry: string }) => e.entry)).toEqual([
			snapshot
		]);
	});

	it('refuses an entry the relay could read', async () => {
		const before = await snapshots.take();
		const signedOnly = await openpgp.sign({
			message: await openpgp.createMessage({ text: '{"folder":"archive"}' }),
			signingKeys: keys.alice!.privateKey,
			format: 'armored'
		});
		const refused = await append('alice', { entry: signedOnly });
		expect(refused.status).toBe(400);
		expect(refused.body.error.message).toMatch(/only ciphertext/);
		expect((await append('alice', { entry: 'folder=archive' })).status).toBe(400);
		expect(await snapshots.take()).toBe(before);
	});

	it('deletes a message for good: from the owner’s folders, and the ciphertext once nobody has it', async () => {
		const sent = await api(relay, 'POST', '/api/messages', {
			token: tokens.alice,
			json: {
				to: ['bob@localhost'],
				message: await encryptFor([keys.alice!, keys.bob!], 'to be deleted')
			}
		});
		const id = sent.body.id as string;
		const path = (who: string) => `/api/mailboxes/${who}@localhost/messages/${id}`;
		const remove = (who: string) => api(relay, 'DELETE', path(who), { token: tokens[who] });

		expect((await remove('bob')).status).toBe(204);
		expect((await api(relay, 'GET', path('bob'), { token: tokens.bob })).status).toBe(404);
		const inbox = await api(relay, 'GET', '/api/mailboxes/bob@localhost/messages', {
			token: tokens.bob
		});
		expect(inbox.body.messages.map((m: { id: string }) => m.id)).not.toContain(id);
		// Alice's sent copy is hers to keep, so the ciphertext stays.
		expect((await api(relay, 'GET', path('alice'), { token: tokens.alice })).status).toBe(200);
		expect(await snapshots.take()).toContain(id);

		expect((await remove('alice')).status).toBe(204);
		expect(await snapshots.take()).not.toContain(id);
		const again = await remove('alice');
		expect(again.status).toBe(404);
		expect(again.body.error.message).toMatch(/no such message/);
	});
});
