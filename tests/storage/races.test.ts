// Races between two relay processes on one storage. Each contender is a child process with its own
// connection (PostgreSQL: its own pool on the same schema; SQLite: its own connection to the same
// WAL data folder), and both are sent the same list of calls at once, so every item is fought over
// by two processes at nearly the same instant. Each test names what a broken implementation (a
// read-then-write without a lock, a lease without SKIP LOCKED or IMMEDIATE) would let happen.
// SQLite relays run one process (docs/DEPLOY.md), and better-sqlite3 is synchronous, so calls in
// one process cannot interleave at all: a second process is the only real contender there, and
// each IMMEDIATE transaction must hold against it (a read-then-write redeem fails these tests).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundItem, StoreMessageResult, Storage } from '../../src/lib/server/storage/types';
import {
	backends,
	dropLocation,
	freshLocation,
	freshStorage,
	startContender,
	type Contender,
	type FreshStorage,
	type MethodName,
	type Outcome
} from './fixture';
import { account, at, letter } from './records';

const ROUNDS = 60;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** What each contender got, for the same method, started at the same moment. */
async function race<T>(
	contenders: Contender[],
	method: MethodName,
	calls: (who: number) => unknown[][]
): Promise<Outcome<T>[][]> {
	return Promise.all(contenders.map((contender, who) => contender.run<T>(method, calls(who))));
}

const valueOf = <T>(outcome: Outcome<T>): T | undefined =>
	'value' in outcome ? outcome.value : undefined;

describe.each(backends())('storage races on %s', (backend) => {
	let fresh: FreshStorage;
	let storage: Storage;
	let contenders: Contender[];

	beforeAll(async () => {
		fresh = await freshStorage(backend);
		storage = fresh.storage;
		contenders = await Promise.all([
			startContender(fresh.location),
			startContender(fresh.location)
		]);
		for (const address of ['alice@localhost', 'bob@localhost', 'carol@localhost']) {
			await storage.createAccount(account(address));
		}
	});

	afterAll(async () => {
		await Promise.all((contenders ?? []).map((contender) => contender.stop()));
		await fresh?.drop();
	});

	it('lets exactly one of two processes redeem a login challenge, and only its session exists', async () => {
		// Broken if redeeming reads `used` and then writes it: both would see it unused and both
		// would get a session from one signed challenge.
		for (const i of range(ROUNDS)) {
			await storage.createChallenge(
				{ nonce: `nonce-${i}`, address: 'alice@localhost', expiresAt: at(600) },
				at(0)
			);
		}
		const outcomes = await race<boolean>(contenders, 'redeemChallenge', (who) =>
			range(ROUNDS).map((i) => [
				`nonce-${i}`,
				at(1),
				{ tokenHash: `token-${who}-${i}`, address: 'alice@localhost', expiresAt: at(3600) }
			])
		);
		for (const i of range(ROUNDS)) {
			const won = outcomes.map((mine) => valueOf(mine[i]!));
			expect(
				won.filter((value) => value === true),
				`nonce-${i}`
			).toHaveLength(1);
			expect(
				won.filter((value) => value === false),
				`nonce-${i}`
			).toHaveLength(1);
			const sessions = await Promise.all(
				[0, 1].map((who) => storage.getSession(`token-${who}-${i}`))
			);
			expect(sessions.map((session) => session !== undefined)).toEqual(won);
		}
	});

	it('leases each queued item to exactly one of two workers claiming at once', async () => {
		// Broken if a claim selects due rows and leases them without locking (no SKIP LOCKED, no
		// IMMEDIATE transaction): both workers would deliver the same letter to the remote relay.
		for (const i of range(ROUNDS)) {
			await storage.storeMessage(
				letter(`lease-${i}`, {
					recipients: [],
					outbound: [{ domain: 'remote.example', recipients: ['dave@remote.example'] }],
					createdAt: at(0)
				})
			);
		}
		const outcomes = await race<OutboundItem[]>(contenders, 'claimOutbound', (who) =>
			range(ROUNDS).map(() => [at(10), at(70), `lease-token-${who}`, 1])
		);
		const claimed = outcomes.map((mine) =>
			mine.flatMap((outcome) => valueOf(outcome) ?? []).map((item) => item.messageId)
		);
		const all = claimed.flat();
		expect(new Set(all).size, 'no item leased twice').toBe(all.length);
		expect(all.sort()).toEqual(
			range(ROUNDS)
				.map((i) => `lease-${i}`)
				.sort()
		);
		// Each lease token settles only its own items: the loser cannot settle the winner's.
		const [firstOfWorker0] = claimed[0]!;
		if (firstOfWorker0) {
			const delivered = {
				state: 'delivered',
				at: at(20),
				acceptance: 'a',
				signature: 's'
			} as const;
			const item = { messageId: firstOfWorker0, domain: 'remote.example' };
			expect(
				await storage.settleOutbound({ ...item, leaseToken: 'lease-token-1' }, delivered)
			).toBe(false);
			expect(
				await storage.settleOutbound({ ...item, leaseToken: 'lease-token-0' }, delivered)
			).toBe(true);
		}
	});

	it('spends a proof-of-work stamp once when two processes store letters with it at once', async () => {
		// Broken if the stamp is checked before the insert, outside the store's transaction: both
		// letters would reach a stranger's inbox on one stamp.
		const outcomes = await race<StoreMessageResult>(contenders, 'storeMessage', (who) =>
			range(ROUNDS).map((i) => [
				letter(`stamped-${who}-${i}`, {
					recipients: ['carol@localhost'],
					stamps: [{ hash: `stamp-${i}`, expiresAt: at(86_400) }]
				})
			])
		);
		for (const i of range(ROUNDS)) {
			const statuses = outcomes.map((mine) => valueOf(mine[i]!)?.status);
			expect(statuses.sort(), `stamp-${i}`).toEqual(['stamp-reused', 'stored']);
			const filed = await Promise.all(
				[0, 1].map((who) => storage.getMailboxMessage('carol@localhost', `stamped-${who}-${i}`))
			);
			// The refused letter left nothing behind: the whole store was undone.
			expect(filed.filter(Boolean), `stamp-${i}`).toHaveLength(1);
		}
	});

	it('stores a message id once when two processes store it at once', async () => {
		// Broken if the insert were an upsert or unguarded: the second would overwrite the first's
		// ciphertext or file a second inbox entry for one letter.
		const outcomes = await race<StoreMessageResult>(contenders, 'storeMessage', (who) =>
			range(ROUNDS).map((i) => [
				letter(`same-${i}`, { sender: 'alice@localhost', armored: `version ${who} of ${i}` })
			])
		);
		const inbox = await storage.listMailbox('bob@localhost', 'inbox', 0, 10_000);
		for (const i of range(ROUNDS)) {
			const stored = [0, 1].filter((who) => valueOf(outcomes[who]![i]!)?.status === 'stored');
			expect(stored, `same-${i}`).toHaveLength(1);
			const loser = 1 - stored[0]!;
			expect('error' in outcomes[loser]![i]!, `same-${i}: the second store is refused`).toBe(true);
			expect(inbox.filter((entry) => entry.messageId === `same-${i}`)).toHaveLength(1);
			const kept = await storage.getMailboxMessage('bob@localhost', `same-${i}`);
			expect(kept?.armored).toBe(`version ${stored[0]} of ${i}`);
		}
		// Sequence numbers stay unique and gapless per folder despite the collisions.
		const seqs = inbox.map((entry) => entry.seq);
		expect(new Set(seqs).size).toBe(seqs.length);
	});

	it('replays, not duplicates, a send retried with one idempotency key in two processes', async () => {
		// Broken if the key is looked up and then inserted without the unique index deciding: both
		// would be stored, and the recipient would get the letter twice.
		const outcomes = await race<StoreMessageResult>(contenders, 'storeMessage', (who) =>
			range(ROUNDS).map((i) => [
				letter(`retry-${who}-${i}`, {
					recipients: ['carol@localhost'],
					idempotency: { key: `key-${i}`, requestHash: `request-${i}` }
				})
			])
		);
		for (const i of range(ROUNDS)) {
			const results = [0, 1].map((who) => valueOf(outcomes[who]![i]!));
			expect(results.map((result) => result?.status).sort(), `key-${i}`).toEqual([
				'replayed',
				'stored'
			]);
			const ids = results.map((result) => (result && 'id' in result ? result.id : undefined));
			expect(ids[0], 'both answers name the one stored letter').toBe(ids[1]);
		}
	});

	it('hands a device transfer to exactly one of two claims at once', async () => {
		// Broken if the claim reads the backup and deletes it in two steps: two devices would both
		// receive the sealed key.
		for (const i of range(ROUNDS)) {
			await storage.backups.createTransfer(
				{
					id: `transfer-${i}`,
					owner: 'alice@localhost',
					backup: `sealed ${i}`,
					expiresAt: at(600)
				},
				at(0)
			);
		}
		const outcomes = await race<string | null>(contenders, 'backups.claimTransfer', () =>
			range(ROUNDS).map((i) => [`transfer-${i}`, at(1)])
		);
		for (const i of range(ROUNDS)) {
			const got = [0, 1].map((who) => valueOf(outcomes[who]![i]!));
			expect(
				got.filter((backup) => backup === `sealed ${i}`),
				`transfer-${i}`
			).toHaveLength(1);
			expect(
				got.filter((backup) => backup === null),
				`transfer-${i}`
			).toHaveLength(1);
		}
	});

	it('lets an event ticket open exactly one stream when two processes redeem it', async () => {
		// Broken if the ticket is read and then deleted: one ticket would open two event streams.
		for (const i of range(ROUNDS)) {
			await storage.createEventTicket(
				{ ticketHash: `ticket-${i}`, address: 'bob@localhost', expiresAt: at(60) },
				at(0)
			);
		}
		const outcomes = await race<string | null>(contenders, 'redeemEventTicket', () =>
			range(ROUNDS).map((i) => [`ticket-${i}`, at(1)])
		);
		for (const i of range(ROUNDS)) {
			const got = [0, 1].map((who) => valueOf(outcomes[who]![i]!));
			expect(got.sort(), `ticket-${i}`).toEqual(['bob@localhost', null]);
		}
	});

	it('gives an address to exactly one of two sign-ups at once', async () => {
		// Broken if sign-up checks for the address and then inserts: both would get "created" and
		// the second key would silently replace (or sit beside) the first owner's.
		const outcomes = await race<string>(contenders, 'createAccount', (who) =>
			range(ROUNDS).map((i) => [account(`signup-${i}@localhost`, `fp-${who}`)])
		);
		for (const i of range(ROUNDS)) {
			const answers = [0, 1].map((who) => valueOf(outcomes[who]![i]!));
			expect(answers.slice().sort(), `signup-${i}`).toEqual(['created', 'taken']);
			const winner = answers.indexOf('created');
			const keys = await storage.listDirectoryKeys(`signup-${i}@localhost`);
			expect(keys.map((key) => key.fingerprint)).toEqual([`fp-${winner}`]);
		}
	});

	it('gives a new list address to exactly one of two owners creating it at once', async () => {
		// Broken if the owner check and the insert are two steps: both owners would be told
		// "created", and one would think they own a list whose members the other chose.
		const outcomes = await race<string>(contenders, 'putList', (who) =>
			range(ROUNDS).map((i) => [
				{
					address: `list-${i}@localhost`,
					owner: who === 0 ? 'alice@localhost' : 'bob@localhost',
					members: [],
					createdAt: at(0)
				}
			])
		);
		for (const i of range(ROUNDS)) {
			const answers = [0, 1].map((who) => valueOf(outcomes[who]![i]!));
			expect(answers.slice().sort(), `list-${i}`).toEqual(['created', 'not-owner']);
			const owner = (await storage.getList(`list-${i}@localhost`))?.owner;
			expect(owner).toBe(answers[0] === 'created' ? 'alice@localhost' : 'bob@localhost');
		}
	});

	it('numbers state-log entries appended by two processes at once without a clash', async () => {
		// Broken if the next number were read (max + 1) before the insert: both processes would
		// take the same number, and a device syncing "after seq n" would miss one of the entries.
		const owner = 'carol@localhost';
		const outcomes = await race<number>(contenders, 'appendState', (who) =>
			range(ROUNDS).map((i) => [owner, `entry ${who}-${i}`, at(0)])
		);
		const seqs = outcomes.flat().map((outcome) => valueOf(outcome));
		expect(seqs.every((seq) => typeof seq === 'number')).toBe(true);
		expect(new Set(seqs).size).toBe(2 * ROUNDS);
		const log = await storage.listState(owner, 0, 10_000);
		expect(log).toHaveLength(2 * ROUNDS);
		// Each process sees its own entries in the order it appended them.
		for (const who of [0, 1]) {
			const mine = log.filter((record) => record.entry.startsWith(`entry ${who}-`));
			expect(mine.map((record) => record.entry)).toEqual(
				range(ROUNDS).map((i) => `entry ${who}-${i}`)
			);
		}
	});

	it('lets one of two devices rotating the same key at once win', async () => {
		// Broken if the expected fingerprint is compared before, not inside, the update: both
		// rotations would report success and the account would hold a key one device never saw.
		for (const i of range(ROUNDS))
			await storage.createAccount(account(`rotate-${i}@localhost`, 'fp-old'));
		const outcomes = await race<boolean>(contenders, 'replaceAccountKey', (who) =>
			range(ROUNDS).map((i) => [
				`rotate-${i}@localhost`,
				'fp-old',
				{ fingerprint: `fp-new-${who}`, publicKey: `key ${who}` },
				at(1)
			])
		);
		for (const i of range(ROUNDS)) {
			const won = [0, 1].map((who) => valueOf(outcomes[who]![i]!));
			expect(won.slice().sort(), `rotate-${i}`).toEqual([false, true]);
			const winner = won.indexOf(true);
			const now = await storage.getAccount(`rotate-${i}@localhost`);
			expect(now?.fingerprint).toBe(`fp-new-${winner}`);
			const keys = await storage.listDirectoryKeys(`rotate-${i}@localhost`);
			expect(keys.map((key) => key.fingerprint)).toEqual([`fp-new-${winner}`]);
		}
	});

	it('gives two relay processes starting at once the same relay key', async () => {
		// Broken if each process inserted its own key when it found none: deliveries signed by
		// one process would not verify against the key another publishes.
		const outcomes = await race<{ publicKey: string }>(contenders, 'relayKey', (who) => [
			[{ privateKey: `private-${who}`, publicKey: `public-${who}`, createdAt: at(0) }]
		]);
		const keys = outcomes.map((mine) => valueOf(mine[0]!)?.publicKey);
		expect(keys[0]).toMatch(/^public-[01]$/);
		expect(keys[1]).toBe(keys[0]);
	});

	it('opens a device transfer id for one of two processes, and one recovery backup each time', async () => {
		// Broken if the id is checked and then inserted: both devices would show a code that only
		// one of them can be reached by. Recovery: exactly one of two first uploads is "created".
		const transfers = await race<string>(contenders, 'backups.createTransfer', (who) =>
			range(ROUNDS).map((i) => [
				{ id: `slot-${i}`, owner: 'alice@localhost', backup: `from ${who}`, expiresAt: at(600) },
				at(0)
			])
		);
		const recoveries = await race<string>(contenders, 'backups.putRecovery', (who) =>
			range(ROUNDS).map((i) => [
				{
					address: `saver-${i}@localhost`,
					lookupHash: `lh-${who}`,
					backup: `b-${who}`,
					updatedAt: at(0)
				}
			])
		);
		for (const i of range(ROUNDS)) {
			const opened = [0, 1].map((who) => valueOf(transfers[who]![i]!));
			expect(opened.slice().sort(), `slot-${i}`).toEqual(['created', 'exists']);
			const put = [0, 1].map((who) => valueOf(recoveries[who]![i]!));
			expect(put.slice().sort(), `saver-${i}`).toEqual(['created', 'replaced']);
			// The backup kept is the one written last, whole: lookup hash and sealed backup match.
			const kept = await storage.backups.getRecovery(`saver-${i}@localhost`);
			expect(kept?.backup.slice(2)).toBe(kept?.lookupHash.slice(3));
		}
	});

	// SQLite announces within its one process only (docs/DEPLOY.md: with SQLite, run one process).
	it.runIf(backend === 'postgres')(
		'tells a watcher in one process which mailboxes another process announced',
		async () => {
			// Broken if announcements stayed in the announcing process: a client whose event stream
			// is held by another relay process would never hear of its new mail.
			const heard: string[] = [];
			const stop = await storage.watchMailboxes((owner) => heard.push(owner));
			try {
				await contenders[0]!.run('announceMailboxes', [[['bob@localhost', 'carol@localhost']]]);
				await expect.poll(() => heard.slice().sort()).toEqual(['bob@localhost', 'carol@localhost']);
			} finally {
				await stop();
			}
		}
	);

	it('counts every byte of letters stored at once for the account quota', async () => {
		// The quota (server/quota.ts) is checked before the store, outside its transaction, so two
		// sends at the edge can both pass it and overshoot by what they carry; that is by design.
		// What must hold is the count they are checked against: stores racing each other must not
		// lose each other's bytes (a lost update would let the overshoot grow without bound).
		const owner = 'dora@localhost';
		await storage.createAccount(account(owner));
		const before = await storage.storedBytes(owner, at(0));
		const outcomes = await race<StoreMessageResult>(contenders, 'storeMessage', (who) =>
			range(ROUNDS).map((i) => [
				letter(`quota-${who}-${i}`, {
					recipients: [owner],
					armored: 'x'.repeat(100 + who * 1000 + i)
				})
			])
		);
		expect(outcomes.flat().every((outcome) => valueOf(outcome)?.status === 'stored')).toBe(true);
		const inbox = await storage.listMailbox(owner, 'inbox', 0, 10_000);
		expect(new Set(inbox.map((entry) => entry.seq)).size, 'one position per letter').toBe(
			2 * ROUNDS
		);
		const expected = range(ROUNDS).reduce((sum, i) => sum + (100 + i) + (1100 + i), 0);
		expect(await storage.storedBytes(owner, at(0))).toBe(before + expected);
		// Blocks have their own quota: two processes recording the same block count it once.
		await race(contenders, 'recordBlock', () => [['block-shared', 5000, owner, at(0)]]);
		expect(await storage.heldBlockBytes(owner)).toBe(5000);
	});
});

describe.each(backends())('storage opened by two processes at once on %s', (backend) => {
	it('migrates a new database once when two relay processes start on it together', async () => {
		// Broken if a process reads the schema version outside the lock that its migration takes:
		// both would run the first migration, and the second would fail on tables that exist.
		const location = await freshLocation(backend);
		const started = await Promise.allSettled([startContender(location), startContender(location)]);
		const running = started.flatMap((result) =>
			result.status === 'fulfilled' ? [result.value] : []
		);
		try {
			expect(
				started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok'))
			).toEqual(['ok', 'ok']);
			// Both work on the same tables: what one stores, the other reads.
			await running[0]!.run('createAccount', [[account('first@localhost')]]);
			const [seen] = await running[1]!.run<{ address: string }>('getAccount', [
				['first@localhost']
			]);
			expect(seen && valueOf(seen)?.address).toBe('first@localhost');
		} finally {
			await Promise.all(running.map((contender) => contender.stop()));
			await dropLocation(location);
		}
	});
});
