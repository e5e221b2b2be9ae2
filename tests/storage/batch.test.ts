// The storage contract for group commit (storeMessages): several letters in one transaction, each
// answered as storeMessage would answer it, and one letter's refusal or failure costing the
// others nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/lib/server/storage/types';
import { backends, freshStorage, type FreshStorage } from './fixture';
import { account, at, letter } from './records';

describe.each(backends())('storage contract on %s: letters stored in one batch', (backend) => {
	let fresh: FreshStorage;
	let storage: Storage;

	beforeAll(async () => {
		fresh = await freshStorage(backend);
		storage = fresh.storage;
		for (const name of ['alice', 'bob', 'carol']) {
			await storage.createAccount(account(`${name}@localhost`));
		}
	});
	afterAll(async () => fresh?.drop());

	it('files every letter of a batch in order, as one by one would', async () => {
		const results = await storage.storeMessages(
			['b1', 'b2', 'b3'].map((id, index) => letter(id, { createdAt: at(index) }))
		);
		expect(results).toEqual(
			['b1', 'b2', 'b3'].map((id) => ({
				status: 'fulfilled',
				value: { status: 'stored', id, recipients: ['bob@localhost'] }
			}))
		);
		const inbox = await storage.listMailbox('bob@localhost', 'inbox', 0, 10);
		expect(inbox.map((entry) => entry.messageId)).toEqual(['b1', 'b2', 'b3']);
		const sent = await storage.listMailbox('alice@localhost', 'sent', 0, 10);
		expect(sent.map((entry) => entry.messageId)).toEqual(['b1', 'b2', 'b3']);
	});

	it('refuses only the letter with a spent stamp, and only the one that fails', async () => {
		const stamp = { hash: 'batch-stamp', expiresAt: at(1000) };
		await storage.storeMessage(letter('spent-first', { stamps: [stamp] }));
		const results = await storage.storeMessages([
			letter('c1', { recipients: ['carol@localhost'] }),
			letter('c2', { recipients: ['carol@localhost'], stamps: [stamp] }),
			// The same id as a stored letter: the database refuses it.
			letter('b1', { recipients: ['carol@localhost'] }),
			letter('c3', { recipients: ['carol@localhost'] })
		]);
		expect(results[0]).toMatchObject({ status: 'fulfilled', value: { status: 'stored' } });
		expect(results[1]).toEqual({ status: 'fulfilled', value: { status: 'stamp-reused' } });
		expect(results[2]?.status).toBe('rejected');
		expect(results[3]).toMatchObject({ status: 'fulfilled', value: { status: 'stored' } });
		const inbox = await storage.listMailbox('carol@localhost', 'inbox', 0, 10);
		expect(inbox.map((entry) => entry.messageId)).toEqual(['c1', 'c3']);
	});

	it('replays the second of two sends with one idempotency key in the same batch', async () => {
		const first = letter('i1', { idempotency: { key: 'batch-key', requestHash: 'h' } });
		const results = await storage.storeMessages([first, { ...first, id: 'i2' }]);
		expect(results.map((result) => result.status === 'fulfilled' && result.value)).toEqual([
			{ status: 'stored', id: 'i1', recipients: ['bob@localhost'] },
			{ status: 'replayed', id: 'i1', recipients: ['bob@localhost'] }
		]);
		expect(await storage.getMailboxMessage('bob@localhost', 'i2')).toBeUndefined();
	});
});
