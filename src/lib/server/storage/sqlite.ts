// The embedded backend: one SQLite file in the data directory. WAL with synchronous=FULL makes
// every committed transaction durable across a power cut, at a small cost per commit.
import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Folder } from '$lib/protocol';
import { splitAddress } from '$lib/protocol';
import { wkdHash } from '../wkd';
import { sqliteBackups } from './backups-sqlite';
import { fileBlockBytes } from './block-files';
import { toOutbound, toStatus, type OutboundRow, type StatusRow } from './outbound-rows';
import { SQLITE_MIGRATIONS, StampSpentBefore, allRecipients, deliveryTargets } from './schema';
import type {
	AccountRecord,
	BlockBytes,
	DirectoryKeyRecord,
	KeySource,
	MailboxEntry,
	MailboxMessage,
	MembershipStatus,
	NewMessage,
	OutboundItem,
	OutboundOutcome,
	Storage,
	StoreMessageResult
} from './types';

interface KeyRow {
	address: string;
	fingerprint: string;
	armored: string;
	source: KeySource;
	created_at: string;
}

interface EntryRow {
	seq: number;
	folder: Folder;
	message_id: string;
	sender: string;
	size: number;
	received_at: string;
	imported: number;
}

const toKey = (row: KeyRow): DirectoryKeyRecord => ({
	address: row.address,
	fingerprint: row.fingerprint,
	publicKey: row.armored,
	source: row.source,
	createdAt: row.created_at
});

const toEntry = (row: EntryRow): MailboxEntry => ({
	seq: row.seq,
	folder: row.folder,
	messageId: row.message_id,
	sender: row.sender,
	size: row.size,
	receivedAt: row.received_at,
	imported: row.imported === 1
});

// Each step reads the version inside its IMMEDIATE transaction: two processes opening a new data
// folder at once would otherwise both see version 0 and the second would fail re-running step 1.
function migrate(db: Database.Database): void {
	const step = db.transaction((): boolean => {
		const current = db.pragma('user_version', { simple: true }) as number;
		if (current > SQLITE_MIGRATIONS.length) {
			throw new Error(
				`The database was written by a newer Letterlock (schema ${current}); upgrade this relay.`
			);
		}
		if (current === SQLITE_MIGRATIONS.length) return false;
		db.exec(SQLITE_MIGRATIONS[current]!);
		db.pragma(`user_version = ${current + 1}`);
		return true;
	});
	while (step.immediate()) {
		// One more step applied; the next transaction looks again.
	}
}

/** `blockBytes` replaces the default files under `dataDir/blocks` (e.g. with an S3 store). */
export function openSqliteStorage(
	dataDir: string,
	options: { blockBytes?: BlockBytes } = {}
): Storage {
	mkdirSync(dataDir, { recursive: true });
	const db = new Database(join(dataDir, 'letterlock.sqlite'));
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	db.pragma('busy_timeout = 5000');
	migrate(db);
	// Statements are written where they are used, and compiling the same SQL again on every call
	// cost a send more than its share of a commit (bench/README.md): each text compiles once.
	const compile = db.prepare.bind(db);
	const compiled = new Map<string, Database.Statement>();
	db.prepare = ((source: string) => {
		const statement = compiled.get(source) ?? compile(source);
		compiled.set(source, statement);
		return statement;
	}) as typeof db.prepare;
	const announcements = new EventEmitter().setMaxListeners(0);

	// Write transactions take the write lock up front (IMMEDIATE) so that a read inside them, such
	// as the idempotency check, cannot be invalidated by another writer before the write.
	const write = <A extends unknown[], R>(fn: (...args: A) => R) => {
		const tx = db.transaction(fn);
		return (...args: A): R => tx.immediate(...args);
	};

	const insertKey = db.prepare(
		`INSERT INTO directory_keys (address, fingerprint, armored, source, wkd_hash, created_at)
		 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (address, fingerprint) DO NOTHING`
	);
	const keyColumns = 'address, fingerprint, armored, source, created_at';

	const createAccount = write((account: AccountRecord): 'created' | 'taken' => {
		const inserted = db
			.prepare(
				`INSERT INTO accounts (address, fingerprint, created_at) VALUES (?, ?, ?)
				 ON CONFLICT (address) DO NOTHING`
			)
			.run(account.address, account.fingerprint, account.createdAt);
		if (inserted.changes === 0) return 'taken';
		insertKey.run(
			account.address,
			account.fingerprint,
			account.publicKey,
			'account',
			wkdHash(splitAddress(account.address).local),
			account.createdAt
		);
		return 'created';
	});

	const replaceAccountKey = write(
		(
			address: string,
			expected: string,
			key: { fingerprint: string; publicKey: string },
			now: string
		): boolean => {
			const swapped = db
				.prepare('UPDATE accounts SET fingerprint = ? WHERE address = ? AND fingerprint = ?')
				.run(key.fingerprint, address, expected);
			if (swapped.changes === 0) return false;
			db.prepare(
				"DELETE FROM directory_keys WHERE address = ? AND fingerprint = ? AND source = 'account'"
			).run(address, expected);
			insertKey.run(
				address,
				key.fingerprint,
				key.publicKey,
				'account',
				wkdHash(splitAddress(address).local),
				now
			);
			return true;
		}
	);

	const redeem = write(
		(
			nonce: string,
			now: string,
			session: { tokenHash: string; address: string; expiresAt: string }
		): boolean => {
			const claimed = db
				.prepare('UPDATE challenges SET used = 1 WHERE nonce = ? AND used = 0 AND expires_at > ?')
				.run(nonce, now);
			if (claimed.changes === 0) return false;
			db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
			db.prepare('INSERT INTO sessions (token_hash, address, expires_at) VALUES (?, ?, ?)').run(
				session.tokenHash,
				session.address,
				session.expiresAt
			);
			return true;
		}
	);

	// Unwrapped, so that settling a failed delivery can file its bounce in the same transaction.
	const storeMessageIn = (message: NewMessage) => {
		if (message.idempotency) {
			const previous = db
				.prepare(
					'SELECT id, recipients, request_hash FROM messages WHERE sender = ? AND idempotency_key = ?'
				)
				.get(message.sender, message.idempotency.key) as
				{ id: string; recipients: string; request_hash: string } | undefined;
			if (previous) {
				return previous.request_hash === message.idempotency.requestHash
					? {
							status: 'replayed' as const,
							id: previous.id,
							recipients: JSON.parse(previous.recipients) as string[]
						}
					: { status: 'key-reused' as const };
			}
		}
		db.prepare(
			`INSERT INTO messages
			 (id, sender, recipients, armored, size, created_at, idempotency_key, request_hash, imported)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
		).run(
			message.id,
			message.sender,
			JSON.stringify(allRecipients(message)),
			message.armored,
			message.size,
			message.createdAt,
			message.idempotency?.key ?? null,
			message.idempotency?.requestHash ?? null,
			message.imported ? 1 : 0
		);
		const bump = db.prepare(
			`INSERT INTO mailbox_counters (owner, folder, last_seq) VALUES (?, ?, 1)
			 ON CONFLICT (owner, folder) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`
		);
		const file = db.prepare(
			'INSERT INTO mailbox_entries (owner, folder, seq, message_id, received_at) VALUES (?, ?, ?, ?, ?)'
		);
		for (const { owner, folder } of deliveryTargets(message)) {
			const { last_seq } = bump.get(owner, folder) as { last_seq: number };
			file.run(owner, folder, last_seq, message.id, message.createdAt);
		}
		const queue = db.prepare(
			`INSERT INTO outbound_queue
			 (message_id, domain, sender, recipients, stamps, state, queued_at, next_attempt_at)
			 VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`
		);
		for (const group of message.outbound ?? []) {
			queue.run(
				message.id,
				group.domain,
				message.sender,
				JSON.stringify(group.recipients),
				group.stamps ? JSON.stringify(group.stamps) : null,
				message.createdAt,
				message.createdAt
			);
		}
		if (message.blocks?.length) {
			db.prepare(
				`INSERT OR IGNORE INTO message_blocks (message_id, hash) SELECT ?, value FROM json_each(?)`
			).run(message.id, JSON.stringify(message.blocks));
		}
		if (message.stamps?.length) {
			db.prepare('DELETE FROM spent_stamps WHERE expires_at <= ?').run(message.createdAt);
			const spend = db.prepare(
				'INSERT INTO spent_stamps (hash, expires_at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING'
			);
			for (const stamp of message.stamps) {
				if (spend.run(stamp.hash, stamp.expiresAt).changes === 0) throw new StampSpentBefore();
			}
		}
		return { status: 'stored' as const, id: message.id, recipients: allRecipients(message) };
	};
	const storeMessage = write(storeMessageIn);
	// Inside another transaction better-sqlite3 makes this a savepoint: a refused message of a
	// batch is rolled back alone.
	const storeInBatch = db.transaction(storeMessageIn);
	const storeBatch = write((messages: NewMessage[]) =>
		messages.map((message): PromiseSettledResult<StoreMessageResult> => {
			try {
				return { status: 'fulfilled', value: storeInBatch(message) };
			} catch (error) {
				if (error instanceof StampSpentBefore) {
					return { status: 'fulfilled', value: { status: 'stamp-reused' } };
				}
				return { status: 'rejected', reason: error };
			}
		})
	);

	const claimOutbound = write(
		(now: string, leaseUntil: string, leaseToken: string, limit: number): OutboundItem[] => {
			const rows = db
				.prepare(
					`UPDATE outbound_queue SET lease_until = ?, lease_token = ?, attempts = attempts + 1
					 WHERE (message_id, domain) IN (
						SELECT message_id, domain FROM outbound_queue
						WHERE state = 'queued' AND next_attempt_at <= ?
						AND (lease_until IS NULL OR lease_until <= ?)
						ORDER BY next_attempt_at LIMIT ?)
					 RETURNING message_id, domain, sender, recipients, stamps, attempts, queued_at`
				)
				.all(leaseUntil, leaseToken, now, now, limit) as OutboundRow[];
			const armored = db.prepare('SELECT armored FROM messages WHERE id = ?');
			return rows.map((row) =>
				toOutbound(row, (armored.get(row.message_id) as { armored: string }).armored, leaseToken)
			);
		}
	);

	const settleOutbound = write(
		(item: Parameters<Storage['settleOutbound']>[0], outcome: OutboundOutcome): boolean => {
			const where = 'WHERE message_id = ? AND domain = ? AND lease_token = ?';
			const key = [item.messageId, item.domain, item.leaseToken];
			let changed: number;
			if (outcome.state === 'retry') {
				changed = db
					.prepare(
						`UPDATE outbound_queue SET next_attempt_at = ?, problem = ?, lease_until = NULL,
						 lease_token = NULL ${where}`
					)
					.run(outcome.nextAttemptAt, outcome.problem, ...key).changes;
			} else if (outcome.state === 'delivered') {
				changed = db
					.prepare(
						`UPDATE outbound_queue SET state = 'delivered', settled_at = ?, acceptance = ?,
						 acceptance_signature = ?, problem = NULL, lease_until = NULL, lease_token = NULL ${where}`
					)
					.run(outcome.at, outcome.acceptance, outcome.signature, ...key).changes;
			} else {
				changed = db
					.prepare(
						`UPDATE outbound_queue SET state = 'failed', settled_at = ?, problem = ?,
						 lease_until = NULL, lease_token = NULL ${where}`
					)
					.run(outcome.at, outcome.problem, ...key).changes;
				if (changed > 0 && outcome.bounce) storeMessageIn(outcome.bounce);
			}
			return changed > 0;
		}
	);

	const replaceAllowList = write((owner: string, hashes: string[]) => {
		db.prepare('DELETE FROM allow_lists WHERE owner = ?').run(owner);
		db.prepare(
			'INSERT OR IGNORE INTO allow_lists (owner, hash) SELECT ?, value FROM json_each(?)'
		).run(owner, JSON.stringify(hashes));
	});

	return {
		async createAccount(account) {
			return createAccount(account);
		},

		async getAccount(address) {
			const row = db
				.prepare(
					`SELECT a.address, a.fingerprint, k.armored, a.created_at FROM accounts a
					 JOIN directory_keys k ON k.address = a.address AND k.fingerprint = a.fingerprint
					 WHERE a.address = ?`
				)
				.get(address) as
				{ address: string; fingerprint: string; armored: string; created_at: string } | undefined;
			return row
				? {
						address: row.address,
						fingerprint: row.fingerprint,
						publicKey: row.armored,
						createdAt: row.created_at
					}
				: undefined;
		},

		async addDirectoryKey(address, fingerprint, armored, source, createdAt) {
			write(() =>
				insertKey.run(
					address,
					fingerprint,
					armored,
					source,
					wkdHash(splitAddress(address).local),
					createdAt ?? new Date().toISOString()
				)
			)();
		},

		async replaceAccountKey(address, expected, key, now) {
			return replaceAccountKey(address, expected, key, now);
		},

		async listDirectoryKeys(address) {
			const rows = db
				.prepare(`SELECT ${keyColumns} FROM directory_keys WHERE address = ? ORDER BY id`)
				.all(address) as KeyRow[];
			return rows.map(toKey);
		},

		async listDirectoryKeysByWkdHash(hash, domain) {
			const rows = db
				.prepare(`SELECT ${keyColumns} FROM directory_keys WHERE wkd_hash = ? ORDER BY id`)
				.all(hash) as KeyRow[];
			return rows.map(toKey).filter((key) => splitAddress(key.address).domain === domain);
		},

		async createChallenge(challenge, now) {
			write(() => {
				db.prepare('DELETE FROM challenges WHERE expires_at <= ?').run(now);
				db.prepare('INSERT INTO challenges (nonce, address, expires_at) VALUES (?, ?, ?)').run(
					challenge.nonce,
					challenge.address,
					challenge.expiresAt
				);
			})();
		},

		async getChallenge(nonce) {
			const row = db
				.prepare('SELECT nonce, address, expires_at, used FROM challenges WHERE nonce = ?')
				.get(nonce) as
				{ nonce: string; address: string; expires_at: string; used: number } | undefined;
			return row
				? { nonce: row.nonce, address: row.address, expiresAt: row.expires_at, used: !!row.used }
				: undefined;
		},

		async redeemChallenge(nonce, now, session) {
			return redeem(nonce, now, session);
		},

		async getSession(tokenHash) {
			const row = db
				.prepare('SELECT address, expires_at, revoked FROM sessions WHERE token_hash = ?')
				.get(tokenHash) as { address: string; expires_at: string; revoked: number } | undefined;
			return row
				? { address: row.address, expiresAt: row.expires_at, revoked: !!row.revoked }
				: undefined;
		},

		async listSessions(address, now) {
			const rows = db
				.prepare(
					'SELECT token_hash, expires_at FROM sessions WHERE address = ? AND revoked = 0 AND expires_at > ?'
				)
				.all(address, now) as { token_hash: string; expires_at: string }[];
			return rows.map((row) => ({ tokenHash: row.token_hash, expiresAt: row.expires_at }));
		},

		async revokeSession(tokenHash) {
			write(() =>
				db.prepare('UPDATE sessions SET revoked = 1 WHERE token_hash = ?').run(tokenHash)
			)();
		},

		async storeMessage(message) {
			try {
				return storeMessage(message);
			} catch (error) {
				if (error instanceof StampSpentBefore) return { status: 'stamp-reused' };
				throw error;
			}
		},

		async storeMessages(messages) {
			return storeBatch(messages);
		},

		async relayKey(candidate) {
			return write(() => {
				db.prepare(
					`INSERT INTO relay_keys (id, private_key, public_key, created_at) VALUES (1, ?, ?, ?)
					 ON CONFLICT (id) DO NOTHING`
				).run(candidate.privateKey, candidate.publicKey, candidate.createdAt);
				const row = db
					.prepare('SELECT private_key, public_key, created_at FROM relay_keys WHERE id = 1')
					.get() as { private_key: string; public_key: string; created_at: string };
				return {
					privateKey: row.private_key,
					publicKey: row.public_key,
					createdAt: row.created_at
				};
			})();
		},

		async claimOutbound(now, leaseUntil, leaseToken, limit) {
			return claimOutbound(now, leaseUntil, leaseToken, limit);
		},

		async settleOutbound(item, outcome) {
			return settleOutbound(item, outcome);
		},

		async outboundStatus(messageId) {
			const rows = db
				.prepare(
					`SELECT domain, state, settled_at, problem FROM outbound_queue
					 WHERE message_id = ? ORDER BY domain`
				)
				.all(messageId) as StatusRow[];
			return rows.map(toStatus);
		},

		async listMailbox(owner, folder, afterSeq, limit) {
			const rows = db
				.prepare(
					`SELECT e.seq, e.folder, e.message_id, m.sender, m.size, e.received_at, m.imported
					 FROM mailbox_entries e JOIN messages m ON m.id = e.message_id
					 WHERE e.owner = ? AND e.folder = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`
				)
				.all(owner, folder, afterSeq, limit) as EntryRow[];
			return rows.map(toEntry);
		},

		async getMailboxMessage(owner, id): Promise<MailboxMessage | undefined> {
			const row = db
				.prepare(
					`SELECT e.seq, e.folder, e.message_id, m.sender, m.size, e.received_at, m.imported, m.recipients,
					 m.armored
					 FROM mailbox_entries e JOIN messages m ON m.id = e.message_id
					 WHERE e.owner = ? AND e.message_id = ? ORDER BY e.folder LIMIT 1`
				)
				.get(owner, id) as (EntryRow & { recipients: string; armored: string }) | undefined;
			return row
				? {
						...toEntry(row),
						recipients: JSON.parse(row.recipients) as string[],
						armored: row.armored
					}
				: undefined;
		},

		async knowsSender(owner, sender, allowHash) {
			const row = db
				.prepare(
					`SELECT 1 FROM allow_lists WHERE owner = ? AND hash = ?
					 UNION ALL
					 SELECT 1 FROM messages m, json_each(m.recipients) r
					 WHERE m.sender = ? AND m.imported = 0 AND r.value = ? LIMIT 1`
				)
				.get(owner, allowHash, owner, sender);
			return row !== undefined;
		},

		async replaceAllowList(owner, hashes) {
			replaceAllowList(owner, hashes);
		},

		blockBytes: options.blockBytes ?? fileBlockBytes(dataDir),

		backups: sqliteBackups(db),
		async deleteFromMailbox(owner, id) {
			return write(() => {
				const removed = db
					.prepare('DELETE FROM mailbox_entries WHERE owner = ? AND message_id = ?')
					.run(owner, id).changes;
				if (removed === 0) return false;
				// A letter still waiting for another relay stays until it leaves: the sender
				// deleting their Sent copy does not take back what they sent.
				const stillNeeded = db
					.prepare(
						`SELECT 1 FROM mailbox_entries WHERE message_id = ?
						 UNION ALL SELECT 1 FROM outbound_queue WHERE message_id = ? AND state = 'queued'
						 LIMIT 1`
					)
					.get(id, id);
				if (!stillNeeded) {
					// Its blocks lose this reference; the sweep frees them once nothing else holds them.
					db.prepare('DELETE FROM message_blocks WHERE message_id = ?').run(id);
					db.prepare('DELETE FROM outbound_queue WHERE message_id = ?').run(id);
					db.prepare('DELETE FROM messages WHERE id = ?').run(id);
				}
				return true;
			})();
		},

		async appendState(owner, entry, createdAt, compactThrough) {
			return write(() => {
				const { last_seq } = db
					.prepare(
						`INSERT INTO mailbox_counters (owner, folder, last_seq) VALUES (?, 'state', 1)
						 ON CONFLICT (owner, folder) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`
					)
					.get(owner) as { last_seq: number };
				db.prepare('INSERT INTO state_log (owner, seq, entry, created_at) VALUES (?, ?, ?, ?)').run(
					owner,
					last_seq,
					entry,
					createdAt
				);
				if (compactThrough !== undefined) {
					db.prepare('DELETE FROM state_log WHERE owner = ? AND seq <= ? AND seq < ?').run(
						owner,
						compactThrough,
						last_seq
					);
				}
				return last_seq;
			})();
		},

		async listState(owner, afterSeq, limit) {
			const rows = db
				.prepare(
					`SELECT seq, entry, created_at FROM state_log WHERE owner = ? AND seq > ?
					 ORDER BY seq LIMIT ?`
				)
				.all(owner, afterSeq, limit) as { seq: number; entry: string; created_at: string }[];
			return rows.map((row) => ({ seq: row.seq, entry: row.entry, createdAt: row.created_at }));
		},

		async storedBytes(owner, now, stateThrough = 0) {
			const row = db
				.prepare(
					`SELECT
						(SELECT COALESCE(SUM(size), 0) FROM messages WHERE id IN
							(SELECT message_id FROM mailbox_entries WHERE owner = @owner))
						+ (SELECT COALESCE(SUM(length(CAST(entry AS BLOB))), 0) FROM state_log
							WHERE owner = @owner AND seq > @stateThrough)
						+ (SELECT COALESCE(SUM(length(CAST(backup AS BLOB))), 0) FROM recovery_backups
							WHERE address = @owner)
						+ (SELECT COALESCE(SUM(length(CAST(backup AS BLOB))), 0) FROM transfers
							WHERE owner = @owner AND expires_at > @now) AS total`
				)
				.get({ owner, now, stateThrough }) as { total: number };
			return row.total;
		},

		async recordBlock(hash, size, holder, now) {
			write(() => {
				db.prepare(
					`INSERT INTO blocks (hash, size, last_put_at) VALUES (?, ?, ?)
					 ON CONFLICT (hash) DO UPDATE SET last_put_at = excluded.last_put_at`
				).run(hash, size, now);
				db.prepare('INSERT OR IGNORE INTO block_holders (hash, account) VALUES (?, ?)').run(
					hash,
					holder
				);
			})();
		},

		async getBlock(hash) {
			return db.prepare('SELECT size FROM blocks WHERE hash = ?').get(hash) as
				{ size: number } | undefined;
		},

		async mayReadBlock(hash, account) {
			const row = db
				.prepare(
					`SELECT 1 FROM block_holders WHERE hash = ? AND account = ?
					 UNION ALL
					 SELECT 1 FROM message_blocks b JOIN mailbox_entries e ON e.message_id = b.message_id
					 WHERE b.hash = ? AND e.owner = ? LIMIT 1`
				)
				.get(hash, account, hash, account);
			return row !== undefined;
		},

		async heldBlockBytes(account) {
			const row = db
				.prepare(
					`SELECT COALESCE(SUM(b.size), 0) AS total FROM block_holders h
					 JOIN blocks b ON b.hash = h.hash WHERE h.account = ?`
				)
				.get(account) as { total: number };
			return row.total;
		},

		async blocksNotHeld(holder, hashes) {
			const rows = db
				.prepare(
					`SELECT DISTINCT value FROM json_each(?) WHERE value NOT IN
					 (SELECT hash FROM block_holders WHERE account = ?)`
				)
				.all(JSON.stringify(hashes), holder) as { value: string }[];
			return rows.map((row) => row.value);
		},

		async sweepBlocks(before) {
			return write(() => {
				const rows = db
					.prepare(
						`DELETE FROM blocks WHERE last_put_at < ? AND NOT EXISTS
						 (SELECT 1 FROM message_blocks m WHERE m.hash = blocks.hash) RETURNING hash`
					)
					.all(before) as { hash: string }[];
				return rows.map((row) => row.hash);
			})();
		},

		async putList(list) {
			return write(() => {
				if (db.prepare('SELECT 1 FROM accounts WHERE address = ?').get(list.address)) {
					return 'taken' as const;
				}
				const existing = db
					.prepare('SELECT owner FROM lists WHERE address = ?')
					.get(list.address) as { owner: string } | undefined;
				if (existing && existing.owner !== list.owner) return 'not-owner' as const;
				if (!existing) {
					db.prepare('INSERT INTO lists (address, owner, created_at) VALUES (?, ?, ?)').run(
						list.address,
						list.owner,
						list.createdAt
					);
				}
				db.prepare(
					'DELETE FROM list_members WHERE list = ? AND member NOT IN (SELECT value FROM json_each(?))'
				).run(list.address, JSON.stringify(list.members));
				const add = db.prepare(
					'INSERT OR IGNORE INTO list_members (list, member, status) VALUES (?, ?, ?)'
				);
				for (const member of list.members) {
					add.run(list.address, member, member === list.owner ? 'accepted' : 'invited');
				}
				return existing ? ('replaced' as const) : ('created' as const);
			})();
		},

		async getList(address) {
			const list = db.prepare('SELECT owner FROM lists WHERE address = ?').get(address) as
				{ owner: string } | undefined;
			if (!list) return undefined;
			const members = db
				.prepare('SELECT member, status FROM list_members WHERE list = ? ORDER BY member')
				.all(address) as { member: string; status: MembershipStatus }[];
			return {
				address,
				owner: list.owner,
				members: members.map((row) => ({ address: row.member, status: row.status }))
			};
		},

		async answerMembership(list, member, status) {
			const changed = db
				.prepare('UPDATE list_members SET status = ? WHERE list = ? AND member = ?')
				.run(status, list, member);
			return changed.changes > 0;
		},

		async listMemberships(member) {
			return db
				.prepare(
					`SELECT m.list, l.owner, m.status FROM list_members m JOIN lists l ON l.address = m.list
					 WHERE m.member = ? ORDER BY m.list`
				)
				.all(member) as { list: string; owner: string; status: MembershipStatus }[];
		},

		async deleteList(address, owner) {
			return write(() => {
				const list = db.prepare('SELECT owner FROM lists WHERE address = ?').get(address) as
					{ owner: string } | undefined;
				if (!list) return 'missing' as const;
				if (list.owner !== owner) return 'not-owner' as const;
				db.prepare('DELETE FROM lists WHERE address = ?').run(address);
				return 'deleted' as const;
			})();
		},

		async createEventTicket(ticket, now) {
			write(() => {
				db.prepare('DELETE FROM event_tickets WHERE expires_at <= ?').run(now);
				db.prepare(
					'INSERT INTO event_tickets (ticket_hash, address, expires_at) VALUES (?, ?, ?)'
				).run(ticket.ticketHash, ticket.address, ticket.expiresAt);
			})();
		},

		async redeemEventTicket(ticketHash, now) {
			const row = db
				.prepare(
					'DELETE FROM event_tickets WHERE ticket_hash = ? AND expires_at > ? RETURNING address'
				)
				.get(ticketHash, now) as { address: string } | undefined;
			return row?.address;
		},

		// SQLite serves one relay process, so announcements stay in it.
		async announceMailboxes(owners) {
			for (const owner of owners) announcements.emit('mailbox', owner);
		},

		async watchMailboxes(listener) {
			announcements.on('mailbox', listener);
			return async () => void announcements.off('mailbox', listener);
		},

		async close() {
			announcements.removeAllListeners();
			db.close();
		}
	};
}
