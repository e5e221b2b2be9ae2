// The storage contract, called directly: messages and mailbox entries, idempotent sends,
// proof-of-work stamps, allow-lists, the state log and what the account quota counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/lib/server/storage/types';
import { backends, freshStorage, type FreshStorage } from './fixture';
import { account, at, letter } from './records';

describe.each(backends())('storage contract on %s: mail', (backend) => {
	let fresh: FreshStorage;
	let storage: Storage;

	beforeAll(async () => {
		fresh = await freshStorage(backend);
		storage = fresh.storage;
		for (const name of ['alice', 'bob', 'carol', 'erin', 'fred', 'gina']) {
			await storage.createAccount(account(`${name}@localhost`));
		}
	});
	afterAll(async () => fresh?.drop());

	it('files a letter in every recipient inbox and the sender sent folder, in order', async () => {
		const result = await storage.storeMessage(
			letter('m1', { recipients: ['bob@localhost', 'carol@localhost'], createdAt: at(1) })
		);
		expect(result).toEqual({
			status: 'stored',
			id: 'm1',
			recipients: ['bob@localhost', 'carol@localhost']
		});
		await storage.storeMessage(letter('m2', { createdAt: at(2) }));
		const inbox = await storage.listMailbox('bob@localhost', 'inbox', 0, 10);
		expect(inbox.map((entry) => [entry.messageId, entry.sender, entry.receivedAt])).toEqual([
			['m1', 'alice@localhost', at(1)],
			['m2', 'alice@localhost', at(2)]
		]);
		expect(inbox[1]!.seq).toBeGreaterThan(inbox[0]!.seq);
		expect(
			(await storage.listMailbox('carol@localhost', 'inbox', 0, 10)).map((e) => e.messageId)
		).toEqual(['m1']);
		const sent = await storage.listMailbox('alice@localhost', 'sent', 0, 10);
		expect(sent.map((entry) => entry.messageId)).toEqual(['m1', 'm2']);
		expect(await storage.listMailbox('alice@localhost', 'inbox', 0, 10)).toEqual([]);
		// Paging: after a seq, at most `limit`.
		expect(
			(await storage.listMailbox('bob@localhost', 'inbox', inbox[0]!.seq, 10)).map(
				(e) => e.messageId
			)
		).toEqual(['m2']);
		expect(await storage.listMailbox('bob@localhost', 'inbox', 0, 1)).toHaveLength(1);
	});

	it('gives a filed message with its ciphertext to its owners only', async () => {
		const message = await storage.getMailboxMessage('bob@localhost', 'm1');
		expect(message).toMatchObject({
			folder: 'inbox',
			messageId: 'm1',
			armored: 'ciphertext of m1',
			size: 'ciphertext of m1'.length,
			recipients: ['bob@localhost', 'carol@localhost'],
			imported: false
		});
		expect((await storage.getMailboxMessage('alice@localhost', 'm1'))?.folder).toBe('sent');
		expect(await storage.getMailboxMessage('erin@localhost', 'm1')).toBeUndefined();
	});

	it('files mail from another relay without a sent copy, and imports as imported', async () => {
		await storage.storeMessage(
			letter('remote-1', {
				sender: 'zed@remote.example',
				recipients: ['erin@localhost'],
				fileSent: false
			})
		);
		await storage.storeMessage(
			letter('import-1', {
				sender: 'claimed@remote.example',
				recipients: ['erin@localhost'],
				imported: true
			})
		);
		const inbox = await storage.listMailbox('erin@localhost', 'inbox', 0, 10);
		expect(inbox.map((entry) => [entry.messageId, entry.imported])).toEqual([
			['remote-1', false],
			['import-1', true]
		]);
	});

	it('deletes a letter from one owner, and its ciphertext once no folder holds it', async () => {
		await storage.storeMessage(
			letter('del-1', { sender: 'fred@localhost', recipients: ['gina@localhost'] })
		);
		expect(await storage.deleteFromMailbox('erin@localhost', 'del-1')).toBe(false);
		expect(await storage.deleteFromMailbox('gina@localhost', 'del-1')).toBe(true);
		expect(await storage.getMailboxMessage('gina@localhost', 'del-1')).toBeUndefined();
		expect(await storage.getMailboxMessage('fred@localhost', 'del-1')).toBeDefined();
		expect(await storage.deleteFromMailbox('fred@localhost', 'del-1')).toBe(true);
		// Gone for good: the id can be stored afresh, which a leftover row would refuse.
		expect(
			(
				await storage.storeMessage(
					letter('del-1', { sender: 'fred@localhost', recipients: ['gina@localhost'] })
				)
			).status
		).toBe('stored');
	});

	it('replays a send with the same idempotency key and refuses the key for another request', async () => {
		const first = letter('idem-1', { idempotency: { key: 'k1', requestHash: 'h1' } });
		expect((await storage.storeMessage(first)).status).toBe('stored');
		expect(await storage.storeMessage({ ...first, id: 'idem-2' })).toEqual({
			status: 'replayed',
			id: 'idem-1',
			recipients: ['bob@localhost']
		});
		expect(
			await storage.storeMessage({
				...first,
				id: 'idem-3',
				idempotency: { key: 'k1', requestHash: 'h2' }
			})
		).toEqual({ status: 'key-reused' });
		// The key belongs to its sender: another sender may use the same one.
		expect(
			(await storage.storeMessage({ ...first, id: 'idem-4', sender: 'carol@localhost' })).status
		).toBe('stored');
		expect(await storage.getMailboxMessage('bob@localhost', 'idem-2')).toBeUndefined();
	});

	it('refuses the whole letter when one of its stamps was spent before', async () => {
		const stamp = (hash: string, expiresAt = at(1000)) => ({ hash, expiresAt });
		expect((await storage.storeMessage(letter('st-1', { stamps: [stamp('s-a')] }))).status).toBe(
			'stored'
		);
		expect(
			await storage.storeMessage(letter('st-2', { stamps: [stamp('s-b'), stamp('s-a')] }))
		).toEqual({
			status: 'stamp-reused'
		});
		expect(await storage.getMailboxMessage('bob@localhost', 'st-2')).toBeUndefined();
		// s-b was not spent by the refused letter.
		expect((await storage.storeMessage(letter('st-3', { stamps: [stamp('s-b')] }))).status).toBe(
			'stored'
		);
		// Once a stamp's record expired, the store forgets it (the stamp itself is too old by then).
		await storage.storeMessage(letter('st-4', { stamps: [stamp('s-c', at(10))] }));
		const later = letter('st-5', { createdAt: at(20), stamps: [stamp('s-c', at(30))] });
		expect((await storage.storeMessage(later)).status).toBe('stored');
	});

	it('knows a sender the owner wrote to or listed, but not through imported mail', async () => {
		await storage.storeMessage(
			letter('kn-1', { sender: 'gina@localhost', recipients: ['fred@localhost'] })
		);
		expect(await storage.knowsSender('gina@localhost', 'fred@localhost', 'hash-fred')).toBe(true);
		expect(await storage.knowsSender('gina@localhost', 'stranger@localhost', 'hash-stranger')).toBe(
			false
		);
		await storage.storeMessage(
			letter('kn-2', { sender: 'gina@localhost', recipients: ['gina@localhost'], imported: true })
		);
		expect(await storage.knowsSender('gina@localhost', 'gina@localhost', 'hash-gina')).toBe(false);
		await storage.replaceAllowList('gina@localhost', ['hash-stranger', 'hash-other']);
		expect(await storage.knowsSender('gina@localhost', 'stranger@localhost', 'hash-stranger')).toBe(
			true
		);
		await storage.replaceAllowList('gina@localhost', ['hash-other']);
		expect(await storage.knowsSender('gina@localhost', 'stranger@localhost', 'hash-stranger')).toBe(
			false
		);
		expect(await storage.knowsSender('fred@localhost', 'x@localhost', 'hash-other')).toBe(false);
	});

	it('appends to the state log in order and compacts what was folded in', async () => {
		const owner = 'carol@localhost';
		const seqs = [];
		for (const entry of ['e1', 'e2', 'e3'])
			seqs.push(await storage.appendState(owner, entry, at(1)));
		expect(seqs[1]).toBeGreaterThan(seqs[0]!);
		expect(seqs[2]).toBeGreaterThan(seqs[1]!);
		expect((await storage.listState(owner, 0, 10)).map((record) => record.entry)).toEqual([
			'e1',
			'e2',
			'e3'
		]);
		expect((await storage.listState(owner, seqs[0]!, 1)).map((record) => record.entry)).toEqual([
			'e2'
		]);
		const snapshot = await storage.appendState(owner, 'snapshot', at(2), seqs[2]);
		expect(await storage.listState(owner, 0, 10)).toEqual([
			{ seq: snapshot, entry: 'snapshot', createdAt: at(2) }
		]);
		// Compaction never deletes the entry it appends, and another owner's log is untouched.
		expect(await storage.listState('bob@localhost', 0, 10)).toEqual([]);
		expect(await storage.appendState(owner, 'after', at(3), snapshot + 100)).toBeGreaterThan(
			snapshot
		);
		expect((await storage.listState(owner, 0, 10)).map((record) => record.entry)).toEqual([
			'after'
		]);
	});

	it('counts for the quota each letter once, the live state log, the backup and open transfers', async () => {
		const owner = 'quota@localhost';
		await storage.createAccount(account(owner));
		expect(await storage.storedBytes(owner, at(0))).toBe(0);
		// To oneself: inbox and sent hold one ciphertext, counted once.
		await storage.storeMessage(
			letter('q-1', { sender: owner, recipients: [owner], armored: 'x'.repeat(100) })
		);
		expect(await storage.storedBytes(owner, at(0))).toBe(100);
		const first = await storage.appendState(owner, 'é'.repeat(10), at(0));
		expect(await storage.storedBytes(owner, at(0)), 'state counts bytes, not characters').toBe(120);
		expect(await storage.storedBytes(owner, at(0), first)).toBe(100);
		await storage.backups.putRecovery({
			address: owner,
			lookupHash: 'lh',
			backup: 'b'.repeat(30),
			updatedAt: at(0)
		});
		await storage.backups.createTransfer(
			{ id: 'q-t', owner, backup: 't'.repeat(7), expiresAt: at(60) },
			at(0)
		);
		expect(await storage.storedBytes(owner, at(0))).toBe(157);
		expect(
			await storage.storedBytesOf([owner, 'bob@localhost', 'nobody@localhost'], at(0)),
			'several owners at once, as one letter to several mailboxes asks'
		).toEqual(
			new Map([
				[owner, 157],
				['bob@localhost', await storage.storedBytes('bob@localhost', at(0))],
				['nobody@localhost', 0]
			])
		);
		expect(await storage.storedBytes(owner, at(60)), 'an expired transfer no longer counts').toBe(
			150
		);
		// Deleting takes the letter out of both folders, and out of the count.
		expect(await storage.deleteFromMailbox(owner, 'q-1')).toBe(true);
		expect(await storage.storedBytes(owner, at(60))).toBe(50);
		expect(await storage.deleteFromMailbox(owner, 'q-1')).toBe(false);
	});
	it('keeps the quota count exact through a batch with a refused letter, a replay and compaction', async () => {
		// The count is kept as letters come and go (account-bytes.ts), not summed: broken if a letter
		// rolled back to its savepoint, or sent again under its idempotency key, still counted.
		const owner = 'tally@localhost';
		await storage.createAccount(account(owner));
		const spent = { hash: 'tally-stamp', expiresAt: at(1000) };
		await storage.storeMessage(letter('t-0', { recipients: ['bob@localhost'], stamps: [spent] }));
		const again = { key: 'tally-key', requestHash: 'tally-hash' };
		const results = await storage.storeMessages([
			letter('t-1', { recipients: [owner], armored: 'a'.repeat(40), idempotency: again }),
			letter('t-2', { recipients: [owner], armored: 'b'.repeat(500), stamps: [spent] }),
			letter('t-3', { sender: owner, recipients: [owner], armored: 'c'.repeat(7) })
		]);
		expect(results.map((result) => result.status === 'fulfilled' && result.value.status)).toEqual([
			'stored',
			'stamp-reused',
			'stored'
		]);
		expect(await storage.storedBytes(owner, at(0))).toBe(47);
		await storage.storeMessage(
			letter('t-1', { recipients: [owner], armored: 'a'.repeat(40), idempotency: again })
		);
		expect(await storage.storedBytes(owner, at(0)), 'a replay stores nothing new').toBe(47);
		const kept = await storage.appendState(owner, 'x'.repeat(9), at(0));
		await storage.appendState(owner, 'y'.repeat(4), at(0), kept);
		expect(await storage.storedBytes(owner, at(0)), 'compaction frees what it deletes').toBe(51);
		expect(await storage.storedBytes('alice@localhost', at(0)), 'the sender keeps a copy').toBe(
			(await storage.listMailbox('alice@localhost', 'sent', 0, 100)).reduce(
				(sum, entry) => sum + entry.size,
				0
			)
		);
	});

	it('frees exactly a deleted letter, so that an account at the edge of its quota has room again', async () => {
		// What quota.ts checks a send against: full to the byte, one letter deleted, the same
		// letter fits again and then no byte more. Deleting what was already deleted frees nothing.
		const owner = 'edge@localhost';
		const quota = 1000;
		await storage.createAccount(account(owner));
		for (const [id, size] of [
			['e-1', 600],
			['e-2', 400]
		] as const) {
			await storage.storeMessage(letter(id, { recipients: [owner], armored: 'z'.repeat(size) }));
		}
		expect(quota - (await storage.storedBytes(owner, at(0))), 'full to the byte').toBe(0);
		expect(await storage.deleteFromMailbox(owner, 'e-2')).toBe(true);
		expect(await storage.deleteFromMailbox(owner, 'e-2')).toBe(false);
		expect(await storage.deleteFromMailbox('bob@localhost', 'e-1')).toBe(false);
		expect(quota - (await storage.storedBytes(owner, at(0))), 'room for e-2 again').toBe(400);
		await storage.storeMessage(letter('e-3', { recipients: [owner], armored: 'z'.repeat(400) }));
		expect(await storage.storedBytes(owner, at(0))).toBe(quota);
	});
});
