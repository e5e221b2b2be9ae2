// The storage contract, called directly: accounts and the key directory, login challenges and
// sessions, event tickets and the relay key. Both backends must give the same answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wkdHash } from '../../src/lib/server/wkd';
import type { Storage } from '../../src/lib/server/storage/types';
import { backends, freshStorage, type FreshStorage } from './fixture';
import { account, at } from './records';

describe.each(backends())('storage contract on %s: accounts, keys, logins', (backend) => {
	let fresh: FreshStorage;
	let storage: Storage;

	beforeAll(async () => {
		fresh = await freshStorage(backend);
		storage = fresh.storage;
	});
	afterAll(async () => fresh?.drop());

	it('creates an account once, with its key in the directory', async () => {
		expect(await storage.createAccount(account('ann@localhost'))).toBe('created');
		expect(await storage.createAccount(account('ann@localhost', 'fp-other'))).toBe('taken');
		expect(await storage.getAccount('ann@localhost')).toEqual(account('ann@localhost'));
		expect(await storage.getAccount('nobody@localhost')).toBeUndefined();
		const keys = await storage.listDirectoryKeys('ann@localhost');
		expect(keys).toEqual([
			{
				address: 'ann@localhost',
				fingerprint: 'fp-ann@localhost',
				publicKey: 'key of ann@localhost (fp-ann@localhost)',
				source: 'account',
				createdAt: at(0)
			}
		]);
	});

	it('keeps a second key for one address as a conflict, and the same key once', async () => {
		await storage.createAccount(account('ben@localhost'));
		await storage.addDirectoryKey(
			'ben@localhost',
			'fp-imported',
			'imported key',
			'imported',
			at(5)
		);
		await storage.addDirectoryKey(
			'ben@localhost',
			'fp-imported',
			'imported key',
			'imported',
			at(6)
		);
		const keys = await storage.listDirectoryKeys('ben@localhost');
		expect(keys.map((key) => [key.fingerprint, key.source]).sort()).toEqual([
			['fp-ben@localhost', 'account'],
			['fp-imported', 'imported']
		]);
		// Logins still check the account's own key only.
		expect((await storage.getAccount('ben@localhost'))?.fingerprint).toBe('fp-ben@localhost');
	});

	it('finds directory keys by WKD hash on their domain only', async () => {
		await storage.createAccount(account('wendy@localhost'));
		await storage.addDirectoryKey('wendy@other.example', 'fp-w2', 'k', 'imported', at(0));
		const found = await storage.listDirectoryKeysByWkdHash(wkdHash('wendy'), 'localhost');
		expect(found.map((key) => key.address)).toEqual(['wendy@localhost']);
		expect(await storage.listDirectoryKeysByWkdHash(wkdHash('nobody'), 'localhost')).toEqual([]);
	});

	it('replaces the account key only while it is still the expected one', async () => {
		await storage.createAccount(account('cid@localhost'));
		const rotated = { fingerprint: 'fp-new', publicKey: 'new key' };
		expect(await storage.replaceAccountKey('cid@localhost', 'fp-stale', rotated, at(1))).toBe(
			false
		);
		expect((await storage.getAccount('cid@localhost'))?.fingerprint).toBe('fp-cid@localhost');
		expect(
			await storage.replaceAccountKey('cid@localhost', 'fp-cid@localhost', rotated, at(1))
		).toBe(true);
		const now = await storage.getAccount('cid@localhost');
		expect([now?.fingerprint, now?.publicKey]).toEqual(['fp-new', 'new key']);
		// A rotation takes the old key out of the directory.
		const keys = await storage.listDirectoryKeys('cid@localhost');
		expect(keys.map((key) => key.fingerprint)).toEqual(['fp-new']);
		// The same fingerprint again updates the key's text (new signatures).
		const refreshed = { fingerprint: 'fp-new', publicKey: 'new key, extended' };
		expect(await storage.replaceAccountKey('cid@localhost', 'fp-new', refreshed, at(2))).toBe(true);
		expect((await storage.getAccount('cid@localhost'))?.publicKey).toBe('new key, extended');
	});

	it('redeems a challenge once, not after it expired, and opens the session with it', async () => {
		await storage.createChallenge(
			{ nonce: 'n1', address: 'ann@localhost', expiresAt: at(60) },
			at(0)
		);
		await storage.createChallenge(
			{ nonce: 'n2', address: 'ann@localhost', expiresAt: at(60) },
			at(0)
		);
		expect(await storage.getChallenge('n1')).toEqual({
			nonce: 'n1',
			address: 'ann@localhost',
			expiresAt: at(60),
			used: false
		});
		const session = { tokenHash: 's1', address: 'ann@localhost', expiresAt: at(3600) };
		expect(await storage.redeemChallenge('n1', at(1), session)).toBe(true);
		expect((await storage.getChallenge('n1'))?.used).toBe(true);
		expect(await storage.redeemChallenge('n1', at(2), { ...session, tokenHash: 's1b' })).toBe(
			false
		);
		expect(await storage.getSession('s1b')).toBeUndefined();
		expect(await storage.redeemChallenge('n2', at(60), { ...session, tokenHash: 's2' })).toBe(
			false
		);
		expect(await storage.getSession('s2')).toBeUndefined();
		expect(await storage.redeemChallenge('missing', at(1), { ...session, tokenHash: 's3' })).toBe(
			false
		);
		expect(await storage.getSession('s1')).toEqual({
			address: 'ann@localhost',
			expiresAt: at(3600),
			revoked: false
		});
	});

	it('drops expired challenges when a new one is made', async () => {
		await storage.createChallenge(
			{ nonce: 'old', address: 'ann@localhost', expiresAt: at(10) },
			at(0)
		);
		await storage.createChallenge(
			{ nonce: 'new', address: 'ann@localhost', expiresAt: at(100) },
			at(20)
		);
		expect(await storage.getChallenge('old')).toBeUndefined();
		expect(await storage.getChallenge('new')).toBeDefined();
	});

	it('lists live sessions, revokes one, and forgets expired ones at the next login', async () => {
		const open = async (nonce: string, tokenHash: string, expiresAt: string, now: string) => {
			await storage.createChallenge(
				{ nonce, address: 'dan@localhost', expiresAt: at(10_000) },
				now
			);
			expect(
				await storage.redeemChallenge(nonce, now, {
					tokenHash,
					address: 'dan@localhost',
					expiresAt
				})
			).toBe(true);
		};
		await open('d1', 'dan-short', at(100), at(0));
		await open('d2', 'dan-long', at(5000), at(0));
		await open('d3', 'dan-other', at(5000), at(0));
		expect(
			(await storage.listSessions('dan@localhost', at(50))).map((s) => s.tokenHash).sort()
		).toEqual(['dan-long', 'dan-other', 'dan-short']);
		await storage.revokeSession('dan-other');
		expect((await storage.getSession('dan-other'))?.revoked).toBe(true);
		expect(await storage.listSessions('dan@localhost', at(200))).toEqual([
			{ tokenHash: 'dan-long', expiresAt: at(5000) }
		]);
		await open('d4', 'dan-new', at(6000), at(200));
		expect(await storage.getSession('dan-short')).toBeUndefined();
	});

	it('redeems an event ticket once and never after it expired', async () => {
		await storage.createEventTicket(
			{ ticketHash: 't1', address: 'ann@localhost', expiresAt: at(30) },
			at(0)
		);
		await storage.createEventTicket(
			{ ticketHash: 't2', address: 'ann@localhost', expiresAt: at(30) },
			at(0)
		);
		expect(await storage.redeemEventTicket('t1', at(1))).toBe('ann@localhost');
		expect(await storage.redeemEventTicket('t1', at(2))).toBeUndefined();
		expect(await storage.redeemEventTicket('t2', at(30))).toBeUndefined();
		expect(await storage.redeemEventTicket('unknown', at(1))).toBeUndefined();
	});

	it('keeps the first relay key and hands it to every later candidate', async () => {
		const first = { privateKey: 'priv-1', publicKey: 'pub-1', createdAt: at(0) };
		expect(await storage.relayKey(first)).toEqual(first);
		expect(
			await storage.relayKey({ privateKey: 'priv-2', publicKey: 'pub-2', createdAt: at(9) })
		).toEqual(first);
	});

	it('tells a watcher about announced mailboxes until it stops watching', async () => {
		const heard: string[] = [];
		const stop = await storage.watchMailboxes((owner) => heard.push(owner));
		await storage.announceMailboxes(['ann@localhost', 'ben@localhost']);
		await expect.poll(() => heard.slice().sort()).toEqual(['ann@localhost', 'ben@localhost']);
		await stop();
		await storage.announceMailboxes(['cid@localhost']);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(heard).not.toContain('cid@localhost');
	});
});
