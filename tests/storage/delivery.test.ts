// The storage contract, called directly: the outbound queue and its leases, attachment blocks and
// their quota, recovery backups and device transfers, and mailing lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundItem, Storage } from '../../src/lib/server/storage/types';
import { backends, freshStorage, type FreshStorage } from './fixture';
import { account, at, letter } from './records';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const HASH_C = 'c'.repeat(64);

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
	for (const part of parts) yield new TextEncoder().encode(part);
}

async function text(stream: ReadableStream<Uint8Array> | undefined): Promise<string | undefined> {
	return stream && new Response(stream).text();
}

describe.each(backends())('storage contract on %s: delivery, blocks, backups, lists', (backend) => {
	let fresh: FreshStorage;
	let storage: Storage;

	beforeAll(async () => {
		fresh = await freshStorage(backend);
		storage = fresh.storage;
		for (const name of ['alice', 'bob', 'carol', 'owner']) {
			await storage.createAccount(account(`${name}@localhost`));
		}
	});
	afterAll(async () => fresh?.drop());

	const remote = (id: string, createdAt = at(0)) =>
		letter(id, {
			recipients: [],
			createdAt,
			outbound: [
				{
					domain: 'one.example',
					recipients: ['x@one.example'],
					stamps: { 'x@one.example': 'stamp' }
				},
				{ domain: 'two.example', recipients: ['y@two.example', 'z@two.example'] }
			]
		});

	it('queues one item per remote domain and leases each until the lease runs out', async () => {
		await storage.storeMessage(remote('out-1', at(100)));
		expect(await storage.claimOutbound(at(99), at(160), 'early', 10)).toEqual([]);
		const claimed = await storage.claimOutbound(at(100), at(160), 'w1', 10);
		expect(claimed.map((item) => item.domain).sort()).toEqual(['one.example', 'two.example']);
		const one = claimed.find((item) => item.domain === 'one.example')!;
		expect(one).toEqual({
			messageId: 'out-1',
			domain: 'one.example',
			sender: 'alice@localhost',
			recipients: ['x@one.example'],
			stamps: { 'x@one.example': 'stamp' },
			armored: 'ciphertext of out-1',
			attempts: 1,
			queuedAt: at(100),
			leaseToken: 'w1'
		} satisfies OutboundItem);
		expect(await storage.claimOutbound(at(159), at(220), 'w2', 10)).toEqual([]);
		// The holder evidently died: after its lease, another worker takes over, and the first
		// worker's late answer changes nothing.
		const retaken = await storage.claimOutbound(at(160), at(220), 'w2', 1);
		expect(retaken).toHaveLength(1);
		expect(retaken[0]!.attempts).toBe(2);
		const lost = { messageId: 'out-1', domain: retaken[0]!.domain, leaseToken: 'w1' };
		expect(
			await storage.settleOutbound(lost, { state: 'retry', nextAttemptAt: at(0), problem: 'x' })
		).toBe(false);
		expect(
			await storage.settleOutbound(
				{ ...lost, leaseToken: 'w2' },
				{ state: 'retry', nextAttemptAt: at(500), problem: 'busy' }
			)
		).toBe(true);
		// Retried: not due before its next attempt.
		const due = await storage.claimOutbound(at(400), at(460), 'w3', 10);
		expect(due.map((item) => item.domain)).not.toContain(retaken[0]!.domain);
	});

	it('records delivery and failure per domain, and files the bounce with a failure', async () => {
		await storage.storeMessage(remote('out-2', at(1000)));
		const items = await storage.claimOutbound(at(1000), at(1060), 'w', 10);
		const mine = items.filter((item) => item.messageId === 'out-2');
		const byDomain = Object.fromEntries(mine.map((item) => [item.domain, item]));
		expect(await storage.outboundStatus('out-2')).toEqual([
			{ domain: 'one.example', state: 'queued', at: null, problem: null },
			{ domain: 'two.example', state: 'queued', at: null, problem: null }
		]);
		expect(
			await storage.settleOutbound(byDomain['one.example']!, {
				state: 'delivered',
				at: at(1001),
				acceptance: 'acc',
				signature: 'sig'
			})
		).toBe(true);
		const bounce = letter('bounce-2', {
			sender: 'postmaster@localhost',
			recipients: ['alice@localhost'],
			fileSent: false
		});
		expect(
			await storage.settleOutbound(byDomain['two.example']!, {
				state: 'failed',
				at: at(1002),
				problem: 'refused',
				bounce
			})
		).toBe(true);
		expect(await storage.outboundStatus('out-2')).toEqual([
			{ domain: 'one.example', state: 'delivered', at: at(1001), problem: null },
			{ domain: 'two.example', state: 'failed', at: at(1002), problem: 'refused' }
		]);
		expect((await storage.getMailboxMessage('alice@localhost', 'bounce-2'))?.folder).toBe('inbox');
		// Settled items are never claimed again.
		const again = await storage.claimOutbound(at(9000), at(9060), 'w', 10);
		expect(again.filter((item) => item.messageId === 'out-2')).toEqual([]);
		expect(await storage.outboundStatus('unknown')).toEqual([]);
	});

	it('keeps a letter still queued for another relay when the sender deletes it', async () => {
		await storage.storeMessage(remote('out-3', at(2000)));
		expect(await storage.deleteFromMailbox('alice@localhost', 'out-3')).toBe(true);
		const claimed = await storage.claimOutbound(at(2000), at(2060), 'w', 100);
		const item = claimed.find((candidate) => candidate.messageId === 'out-3');
		expect(item?.armored).toBe('ciphertext of out-3');
	});

	it('records blocks, who may read them, and what each holder counts against its quota', async () => {
		await storage.recordBlock(HASH_A, 1000, 'alice@localhost', at(0));
		await storage.recordBlock(HASH_A, 1000, 'alice@localhost', at(1));
		await storage.recordBlock(HASH_B, 500, 'alice@localhost', at(0));
		await storage.recordBlock(HASH_B, 500, 'carol@localhost', at(0));
		expect(await storage.getBlock(HASH_A)).toEqual({ size: 1000 });
		expect(await storage.getBlock(HASH_C)).toBeUndefined();
		expect(await storage.heldBlockBytes('alice@localhost')).toBe(1500);
		expect(await storage.heldBlockBytes('carol@localhost')).toBe(500);
		expect(await storage.heldBlockBytes('bob@localhost')).toBe(0);
		expect(
			(await storage.blocksNotHeld('carol@localhost', [HASH_A, HASH_B, HASH_C])).sort()
		).toEqual([HASH_A, HASH_C]);
		expect(await storage.mayReadBlock(HASH_A, 'bob@localhost')).toBe(false);
		// A letter referring to the block lets its recipients read it.
		await storage.storeMessage(
			letter('with-block', { recipients: ['bob@localhost'], blocks: [HASH_A] })
		);
		expect(await storage.mayReadBlock(HASH_A, 'bob@localhost')).toBe(true);
		expect(await storage.mayReadBlock(HASH_A, 'alice@localhost')).toBe(true);
		expect(await storage.mayReadBlock(HASH_B, 'bob@localhost')).toBe(false);
	});

	it('sweeps only blocks no letter refers to and nobody uploaded since the cut-off', async () => {
		await storage.recordBlock(HASH_C, 10, 'carol@localhost', at(50));
		const swept = await storage.sweepBlocks(at(10));
		expect(swept).toEqual([HASH_B]);
		expect(await storage.getBlock(HASH_B)).toBeUndefined();
		expect(await storage.getBlock(HASH_A)).toBeDefined();
		expect(await storage.getBlock(HASH_C)).toBeDefined();
		// Once the letter is gone from every mailbox, its block can go too.
		await storage.deleteFromMailbox('bob@localhost', 'with-block');
		await storage.deleteFromMailbox('alice@localhost', 'with-block');
		expect(await storage.sweepBlocks(at(10))).toEqual([HASH_A]);
	});

	it('keeps block bytes whole, reads ranges, takes a block twice, and stores nothing from a failed upload', async () => {
		await storage.blockBytes.write(HASH_A, chunks('hello ', 'world'));
		expect(await text(await storage.blockBytes.read(HASH_A, 0, 10))).toBe('hello world');
		expect(await text(await storage.blockBytes.read(HASH_A, 6, 8))).toBe('wor');
		// Two uploads of one block racing past the "have it?" check both write it: the second
		// write succeeds and leaves the one copy (PostgreSQL's COPY meets the first row).
		await storage.blockBytes.write(HASH_A, chunks('hello ', 'world'));
		expect(await text(await storage.blockBytes.read(HASH_A, 0, 10))).toBe('hello world');
		async function* failing(): AsyncIterable<Uint8Array> {
			yield new TextEncoder().encode('partial');
			throw new Error('connection lost');
		}
		await expect(storage.blockBytes.write(HASH_B, failing())).rejects.toThrow('connection lost');
		expect(await storage.blockBytes.read(HASH_B, 0, 6)).toBeUndefined();
		await storage.blockBytes.delete(HASH_A);
		expect(await storage.blockBytes.read(HASH_A, 0, 10)).toBeUndefined();
		await storage.blockBytes.delete(HASH_A);
	});

	it('stores, replaces and deletes a recovery backup', async () => {
		const record = {
			address: 'bob@localhost',
			lookupHash: 'lh1',
			backup: 'sealed 1',
			updatedAt: at(0)
		};
		expect(await storage.backups.putRecovery(record)).toBe('created');
		expect(
			await storage.backups.putRecovery({ ...record, lookupHash: 'lh2', backup: 'sealed 2' })
		).toBe('replaced');
		expect(await storage.backups.getRecovery('bob@localhost')).toEqual({
			...record,
			lookupHash: 'lh2',
			backup: 'sealed 2'
		});
		await storage.backups.deleteRecovery('bob@localhost');
		expect(await storage.backups.getRecovery('bob@localhost')).toBeUndefined();
	});

	it('hands a transfer out once before it expires, and forgets expired ones', async () => {
		const open = (id: string, expiresAt: string, now = at(0)) =>
			storage.backups.createTransfer(
				{ id, owner: 'bob@localhost', backup: `sealed ${id}`, expiresAt },
				now
			);
		expect(await open('tr-1', at(60))).toBe('created');
		expect(await open('tr-1', at(60))).toBe('exists');
		expect(await storage.backups.getTransfer('tr-1', at(1))).toEqual({
			owner: 'bob@localhost',
			expiresAt: at(60),
			claimed: false
		});
		expect(await storage.backups.claimTransfer('tr-1', at(1))).toBe('sealed tr-1');
		expect(await storage.backups.claimTransfer('tr-1', at(2))).toBeUndefined();
		expect((await storage.backups.getTransfer('tr-1', at(2)))?.claimed).toBe(true);
		await open('tr-2', at(60));
		expect(await storage.backups.claimTransfer('tr-2', at(60))).toBeUndefined();
		expect(await storage.backups.getTransfer('tr-2', at(60))).toBeUndefined();
		// Opening a transfer later forgets the expired one, so its id is free again.
		expect(await open('tr-2', at(200), at(100))).toBe('created');
		await storage.backups.deleteTransfer('tr-2');
		expect(await storage.backups.getTransfer('tr-2', at(101))).toBeUndefined();
	});

	it('creates a list for its owner, keeps members answers, and lets only the owner change it', async () => {
		const put = (owner: string, members: string[]) =>
			storage.putList({ address: 'team@localhost', owner, members, createdAt: at(0) });
		expect(
			await storage.putList({
				address: 'bob@localhost',
				owner: 'owner@localhost',
				members: [],
				createdAt: at(0)
			})
		).toBe('taken');
		expect(
			await put('owner@localhost', ['owner@localhost', 'carol@localhost', 'bob@localhost'])
		).toBe('created');
		expect(await storage.getList('team@localhost')).toEqual({
			address: 'team@localhost',
			owner: 'owner@localhost',
			members: [
				{ address: 'bob@localhost', status: 'invited' },
				{ address: 'carol@localhost', status: 'invited' },
				{ address: 'owner@localhost', status: 'accepted' }
			]
		});
		expect(await storage.answerMembership('team@localhost', 'carol@localhost', 'accepted')).toBe(
			true
		);
		expect(await storage.answerMembership('team@localhost', 'bob@localhost', 'declined')).toBe(
			true
		);
		expect(await storage.answerMembership('team@localhost', 'alice@localhost', 'accepted')).toBe(
			false
		);
		expect(await put('alice@localhost', ['alice@localhost'])).toBe('not-owner');
		expect(await put('owner@localhost', ['carol@localhost', 'alice@localhost'])).toBe('replaced');
		expect((await storage.getList('team@localhost'))?.members).toEqual([
			{ address: 'alice@localhost', status: 'invited' },
			{ address: 'carol@localhost', status: 'accepted' }
		]);
		expect(await storage.listMemberships('carol@localhost')).toEqual([
			{ list: 'team@localhost', owner: 'owner@localhost', status: 'accepted' }
		]);
		expect(await storage.listMemberships('bob@localhost')).toEqual([]);
		expect(await storage.deleteList('team@localhost', 'alice@localhost')).toBe('not-owner');
		expect(await storage.deleteList('team@localhost', 'owner@localhost')).toBe('deleted');
		expect(await storage.deleteList('team@localhost', 'owner@localhost')).toBe('missing');
		expect(await storage.getList('team@localhost')).toBeUndefined();
		expect(await storage.listMemberships('carol@localhost')).toEqual([]);
	});
});
