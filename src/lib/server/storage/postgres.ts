// The shared backend: PostgreSQL, for several relay processes behind a load balancer. Same
// tables and behaviour as the SQLite backend; tests run the same suite against both.
import postgres from 'postgres';
import { splitAddress } from '$lib/protocol';
import { wkdHash } from '../wkd';
import { postgresBackups } from './backups-postgres';
import { postgresBlockBytes } from './block-rows';
import { toOutbound, toStatus, type OutboundRow, type StatusRow } from './outbound-rows';
import { POSTGRES_MIGRATIONS, StampSpentBefore, allRecipients, deliveryTargets } from './schema';
import type {
	BlockBytes,
	DirectoryKeyRecord,
	KeySource,
	MailboxEntry,
	MembershipStatus,
	NewMessage,
	Storage,
	StoreMessageResult
} from './types';

type Sql = postgres.ISql;

interface KeyRow {
	address: string;
	fingerprint: string;
	armored: string;
	source: KeySource;
	created_at: Date;
}

interface EntryRow {
	seq: string;
	folder: 'inbox' | 'sent';
	message_id: string;
	sender: string;
	size: number;
	received_at: Date;
	imported: boolean;
}

const toKey = (row: KeyRow): DirectoryKeyRecord => ({
	address: row.address,
	fingerprint: row.fingerprint,
	publicKey: row.armored,
	source: row.source,
	createdAt: row.created_at.toISOString()
});

const toEntry = (row: EntryRow): MailboxEntry => ({
	seq: Number(row.seq),
	folder: row.folder,
	messageId: row.message_id,
	sender: row.sender,
	size: row.size,
	receivedAt: row.received_at.toISOString(),
	imported: row.imported
});

const ANNOUNCE_CHANNEL = 'letterlock_mailbox';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresOptions {
	/** Tables live in this schema (created if missing) instead of `public`, so that test runs and
	 * relays sharing one database stay apart. */
	schema?: string;
	/** Replaces the default bytea rows for block bytes (e.g. with an S3 store). */
	blockBytes?: BlockBytes;
}

async function migrate(sql: postgres.Sql, schema: string): Promise<void> {
	await sql.begin(async (tx) => {
		// Several relay processes may start at once against one database: one migrates, the
		// others wait here and then find nothing left to do.
		await tx`SELECT pg_advisory_xact_lock(hashtext(${'letterlock:' + schema}))`;
		// CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS, which a
		// production role given only an existing schema may lack.
		const [existing] = await tx`SELECT 1 FROM pg_namespace WHERE nspname = ${schema}`;
		if (!existing) await tx.unsafe(`CREATE SCHEMA "${schema}"`);
		await tx.unsafe(
			`CREATE TABLE IF NOT EXISTS "${schema}".schema_version (version INTEGER NOT NULL)`
		);
		const rows = await tx.unsafe<{ version: number }[]>(
			`SELECT version FROM "${schema}".schema_version`
		);
		const current = rows[0]?.version ?? 0;
		if (current > POSTGRES_MIGRATIONS.length) {
			throw new Error(
				`The database was written by a newer Letterlock (schema ${current}); upgrade this relay.`
			);
		}
		for (const step of POSTGRES_MIGRATIONS.slice(current)) await tx.unsafe(step);
		await tx.unsafe(`DELETE FROM "${schema}".schema_version`);
		await tx.unsafe(`INSERT INTO "${schema}".schema_version (version) VALUES ($1)`, [
			POSTGRES_MIGRATIONS.length
		]);
	});
}

async function insertKey(
	sql: Sql,
	address: string,
	fingerprint: string,
	armored: string,
	source: KeySource,
	createdAt: string
): Promise<void> {
	const hash = wkdHash(splitAddress(address).local);
	await sql`
		INSERT INTO directory_keys (address, fingerprint, armored, source, wkd_hash, created_at)
		VALUES (${address}, ${fingerprint}, ${armored}, ${source}, ${hash}, ${createdAt}::timestamptz)
		ON CONFLICT (address, fingerprint) DO NOTHING`;
}

/** Stores a message inside the caller's transaction, so that settling a failed delivery can file
 * its bounce atomically. */
async function storeMessageIn(tx: Sql, message: NewMessage): Promise<StoreMessageResult> {
	const previous = async () => {
		if (!message.idempotency) return undefined;
		const [row] = await tx<{ id: string; recipients: string; request_hash: string }[]>`
					SELECT id, recipients, request_hash FROM messages
					WHERE sender = ${message.sender} AND idempotency_key = ${message.idempotency.key}`;
		if (!row) return undefined;
		return row.request_hash === message.idempotency.requestHash
			? {
					status: 'replayed' as const,
					id: row.id,
					recipients: JSON.parse(row.recipients) as string[]
				}
			: { status: 'key-reused' as const };
	};
	const earlier = await previous();
	if (earlier) return earlier;
	// A concurrent send with the same key makes this insert wait for that transaction and
	// then do nothing; the re-read below then sees the winner's row.
	const inserted = await tx`
				INSERT INTO messages
					(id, sender, recipients, armored, size, created_at, idempotency_key, request_hash,
					imported)
				VALUES (${message.id}, ${message.sender}, ${JSON.stringify(allRecipients(message))},
					${message.armored}, ${message.size}, ${message.createdAt}::timestamptz,
					${message.idempotency?.key ?? null}, ${message.idempotency?.requestHash ?? null},
					${message.imported ?? false})
				ON CONFLICT (sender, idempotency_key) DO NOTHING RETURNING id`;
	if (inserted.length === 0) {
		const winner = await previous();
		if (winner) return winner;
		throw new Error('A message insert conflicted but no earlier message was found.');
	}
	for (const { owner, folder } of deliveryTargets(message)) {
		const [counter] = await tx<{ last_seq: string }[]>`
					INSERT INTO mailbox_counters (owner, folder, last_seq) VALUES (${owner}, ${folder}, 1)
					ON CONFLICT (owner, folder)
					DO UPDATE SET last_seq = mailbox_counters.last_seq + 1 RETURNING last_seq`;
		await tx`
					INSERT INTO mailbox_entries (owner, folder, seq, message_id, received_at)
					VALUES (${owner}, ${folder}, ${counter!.last_seq}, ${message.id},
						${message.createdAt}::timestamptz)`;
	}
	if (message.blocks?.length) {
		await tx`
					INSERT INTO message_blocks (message_id, hash)
					SELECT ${message.id}, unnest(${message.blocks}::text[])
					ON CONFLICT DO NOTHING`;
	}
	for (const group of message.outbound ?? []) {
		await tx`
					INSERT INTO outbound_queue
						(message_id, domain, sender, recipients, stamps, state, queued_at, next_attempt_at)
					VALUES (${message.id}, ${group.domain}, ${message.sender},
						${JSON.stringify(group.recipients)}, ${group.stamps ? JSON.stringify(group.stamps) : null},
						'queued', ${message.createdAt}::timestamptz, ${message.createdAt}::timestamptz)`;
	}
	if (message.stamps?.length) {
		await tx`DELETE FROM spent_stamps WHERE expires_at <= ${message.createdAt}::timestamptz`;
		const spent = await tx`
			INSERT INTO spent_stamps (hash, expires_at)
			SELECT * FROM unnest(${message.stamps.map((stamp) => stamp.hash)}::text[],
				${message.stamps.map((stamp) => stamp.expiresAt)}::timestamptz[])
			ON CONFLICT (hash) DO NOTHING RETURNING hash`;
		if (spent.length < message.stamps.length) throw new StampSpentBefore();
	}
	return { status: 'stored' as const, id: message.id, recipients: allRecipients(message) };
}

export async function openPostgresStorage(
	url: string,
	options: PostgresOptions = {}
): Promise<Storage> {
	const schema = options.schema ?? 'public';
	if (!SCHEMA_NAME.test(schema)) {
		throw new Error(`Invalid schema name "${schema}": use lowercase letters, digits, underscores.`);
	}
	const sql = postgres(url, {
		max: 10,
		connection: { search_path: schema },
		onnotice: () => {}
	});
	try {
		await migrate(sql, schema);
	} catch (error) {
		await sql.end({ timeout: 5 });
		throw error;
	}

	const storeAlone = (message: NewMessage) =>
		sql
			.begin((tx) => storeMessageIn(tx, message))
			.catch((error: unknown) => {
				if (error instanceof StampSpentBefore) return { status: 'stamp-reused' as const };
				throw error;
			});

	return {
		async createAccount(account) {
			return sql.begin(async (tx) => {
				const inserted = await tx`
					INSERT INTO accounts (address, fingerprint, created_at)
					VALUES (${account.address}, ${account.fingerprint}, ${account.createdAt}::timestamptz)
					ON CONFLICT (address) DO NOTHING RETURNING address`;
				if (inserted.length === 0) return 'taken' as const;
				await insertKey(
					tx,
					account.address,
					account.fingerprint,
					account.publicKey,
					'account',
					account.createdAt
				);
				return 'created' as const;
			});
		},

		async getAccount(address) {
			const [row] = await sql<
				{ address: string; fingerprint: string; armored: string; created_at: Date }[]
			>`
				SELECT a.address, a.fingerprint, k.armored, a.created_at FROM accounts a
				JOIN directory_keys k ON k.address = a.address AND k.fingerprint = a.fingerprint
				WHERE a.address = ${address}`;
			return row
				? {
						address: row.address,
						fingerprint: row.fingerprint,
						publicKey: row.armored,
						createdAt: row.created_at.toISOString()
					}
				: undefined;
		},

		async addDirectoryKey(address, fingerprint, armored, source, createdAt) {
			await insertKey(
				sql,
				address,
				fingerprint,
				armored,
				source,
				createdAt ?? new Date().toISOString()
			);
		},

		async replaceAccountKey(address, expected, key, now) {
			return sql.begin(async (tx) => {
				const swapped = await tx`
					UPDATE accounts SET fingerprint = ${key.fingerprint}
					WHERE address = ${address} AND fingerprint = ${expected} RETURNING address`;
				if (swapped.length === 0) return false;
				await tx`
					DELETE FROM directory_keys
					WHERE address = ${address} AND fingerprint = ${expected} AND source = 'account'`;
				await insertKey(tx, address, key.fingerprint, key.publicKey, 'account', now);
				return true;
			});
		},

		async listDirectoryKeys(address) {
			const rows = await sql<KeyRow[]>`
				SELECT address, fingerprint, armored, source, created_at FROM directory_keys
				WHERE address = ${address} ORDER BY id`;
			return rows.map(toKey);
		},

		async listDirectoryKeysByWkdHash(hash, domain) {
			const rows = await sql<KeyRow[]>`
				SELECT address, fingerprint, armored, source, created_at FROM directory_keys
				WHERE wkd_hash = ${hash} ORDER BY id`;
			return rows.map(toKey).filter((key) => splitAddress(key.address).domain === domain);
		},

		async createChallenge(challenge, now) {
			await sql.begin(async (tx) => {
				await tx`DELETE FROM challenges WHERE expires_at <= ${now}::timestamptz`;
				await tx`
					INSERT INTO challenges (nonce, address, expires_at)
					VALUES (${challenge.nonce}, ${challenge.address}, ${challenge.expiresAt}::timestamptz)`;
			});
		},

		async getChallenge(nonce) {
			const [row] = await sql<
				{ nonce: string; address: string; expires_at: Date; used: boolean }[]
			>`SELECT nonce, address, expires_at, used FROM challenges WHERE nonce = ${nonce}`;
			return row
				? {
						nonce: row.nonce,
						address: row.address,
						expiresAt: row.expires_at.toISOString(),
						used: row.used
					}
				: undefined;
		},

		async redeemChallenge(nonce, now, session) {
			return sql.begin(async (tx) => {
				const claimed = await tx`
					UPDATE challenges SET used = TRUE
					WHERE nonce = ${nonce} AND NOT used AND expires_at > ${now}::timestamptz
					RETURNING nonce`;
				if (claimed.length === 0) return false;
				await tx`DELETE FROM sessions WHERE expires_at <= ${now}::timestamptz`;
				await tx`
					INSERT INTO sessions (token_hash, address, expires_at)
					VALUES (${session.tokenHash}, ${session.address}, ${session.expiresAt}::timestamptz)`;
				return true;
			});
		},

		async getSession(tokenHash) {
			const [row] = await sql<{ address: string; expires_at: Date; revoked: boolean }[]>`
				SELECT address, expires_at, revoked FROM sessions WHERE token_hash = ${tokenHash}`;
			return row
				? { address: row.address, expiresAt: row.expires_at.toISOString(), revoked: row.revoked }
				: undefined;
		},

		async listSessions(address, now) {
			const rows = await sql<{ token_hash: string; expires_at: Date }[]>`
				SELECT token_hash, expires_at FROM sessions
				WHERE address = ${address} AND NOT revoked AND expires_at > ${now}::timestamptz`;
			return rows.map((row) => ({
				tokenHash: row.token_hash,
				expiresAt: row.expires_at.toISOString()
			}));
		},

		async revokeSession(tokenHash) {
			await sql`UPDATE sessions SET revoked = TRUE WHERE token_hash = ${tokenHash}`;
		},

		storeMessage: storeAlone,

		async storeMessages(messages) {
			// All at once in one transaction, their statements pipelined on its connection; if any
			// fails that transaction is lost, and each message is stored alone instead.
			try {
				const results = await sql.begin((tx) =>
					Promise.all(messages.map((message) => storeMessageIn(tx, message)))
				);
				return results.map((value) => ({ status: 'fulfilled' as const, value }));
			} catch {
				return Promise.allSettled(messages.map(storeAlone));
			}
		},

		async relayKey(candidate) {
			return sql.begin(async (tx) => {
				await tx`
					INSERT INTO relay_keys (id, private_key, public_key, created_at)
					VALUES (1, ${candidate.privateKey}, ${candidate.publicKey}, ${candidate.createdAt}::timestamptz)
					ON CONFLICT (id) DO NOTHING`;
				const [row] = await tx<{ private_key: string; public_key: string; created_at: Date }[]>`
					SELECT private_key, public_key, created_at FROM relay_keys WHERE id = 1`;
				return {
					privateKey: row!.private_key,
					publicKey: row!.public_key,
					createdAt: row!.created_at.toISOString()
				};
			});
		},

		async knowsSender(owner, sender, allowHash) {
			const rows = await sql`
				SELECT 1 FROM allow_lists WHERE owner = ${owner} AND hash = ${allowHash}
				UNION ALL
				SELECT 1 FROM messages
				WHERE sender = ${owner} AND NOT imported AND jsonb_exists(recipients::jsonb, ${sender})
				LIMIT 1`;
			return rows.length > 0;
		},

		async replaceAllowList(owner, hashes) {
			await sql.begin(async (tx) => {
				await tx`DELETE FROM allow_lists WHERE owner = ${owner}`;
				await tx`
					INSERT INTO allow_lists (owner, hash)
					SELECT ${owner}, unnest(${hashes}::text[]) ON CONFLICT DO NOTHING`;
			});
		},

		async claimOutbound(now, leaseUntil, leaseToken, limit) {
			// SKIP LOCKED: relay processes claiming at once each take different rows instead of
			// waiting for each other; the lease keeps a claimed row from being claimed again until it
			// is settled or its holder has evidently died.
			const rows = await sql<(OutboundRow & { armored: string })[]>`
				WITH due AS (
					SELECT message_id, domain FROM outbound_queue
					WHERE state = 'queued' AND next_attempt_at <= ${now}::timestamptz
					AND (lease_until IS NULL OR lease_until <= ${now}::timestamptz)
					ORDER BY next_attempt_at LIMIT ${limit}
					FOR UPDATE SKIP LOCKED
				)
				UPDATE outbound_queue q
				SET lease_until = ${leaseUntil}::timestamptz, lease_token = ${leaseToken},
					attempts = q.attempts + 1
				FROM due, messages m
				WHERE q.message_id = due.message_id AND q.domain = due.domain AND m.id = q.message_id
				RETURNING q.message_id, q.domain, q.sender, q.recipients, q.stamps, q.attempts,
					q.queued_at, m.armored`;
			return rows.map((row) => toOutbound(row, row.armored, leaseToken));
		},

		async settleOutbound(item, outcome) {
			return sql.begin(async (tx) => {
				const mine = tx`message_id = ${item.messageId} AND domain = ${item.domain}
					AND lease_token = ${item.leaseToken}`;
				let changed;
				if (outcome.state === 'retry') {
					changed = await tx`
						UPDATE outbound_queue SET next_attempt_at = ${outcome.nextAttemptAt}::timestamptz,
							problem = ${outcome.problem}, lease_until = NULL, lease_token = NULL
						WHERE ${mine} RETURNING 1`;
				} else if (outcome.state === 'delivered') {
					changed = await tx`
						UPDATE outbound_queue SET state = 'delivered', settled_at = ${outcome.at}::timestamptz,
							acceptance = ${outcome.acceptance}, acceptance_signature = ${outcome.signature},
							problem = NULL, lease_until = NULL, lease_token = NULL
						WHERE ${mine} RETURNING 1`;
				} else {
					changed = await tx`
						UPDATE outbound_queue SET state = 'failed', settled_at = ${outcome.at}::timestamptz,
							problem = ${outcome.problem}, lease_until = NULL, lease_token = NULL
						WHERE ${mine} RETURNING 1`;
					if (changed.length > 0 && outcome.bounce) await storeMessageIn(tx, outcome.bounce);
				}
				return changed.length > 0;
			});
		},

		async outboundStatus(messageId) {
			const rows = await sql<StatusRow[]>`
				SELECT domain, state, settled_at, problem FROM outbound_queue
				WHERE message_id = ${messageId} ORDER BY domain`;
			return rows.map(toStatus);
		},

		async listMailbox(owner, folder, afterSeq, limit) {
			const rows = await sql<EntryRow[]>`
				SELECT e.seq, e.folder, e.message_id, m.sender, m.size, e.received_at, m.imported
				FROM mailbox_entries e JOIN messages m ON m.id = e.message_id
				WHERE e.owner = ${owner} AND e.folder = ${folder} AND e.seq > ${afterSeq}
				ORDER BY e.seq LIMIT ${limit}`;
			return rows.map(toEntry);
		},

		async getMailboxMessage(owner, id) {
			const [row] = await sql<(EntryRow & { recipients: string; armored: string })[]>`
				SELECT e.seq, e.folder, e.message_id, m.sender, m.size, e.received_at, m.imported, m.recipients,
					m.armored
				FROM mailbox_entries e JOIN messages m ON m.id = e.message_id
				WHERE e.owner = ${owner} AND e.message_id = ${id} ORDER BY e.folder LIMIT 1`;
			return row
				? {
						...toEntry(row),
						recipients: JSON.parse(row.recipients) as string[],
						armored: row.armored
					}
				: undefined;
		},

		blockBytes: options.blockBytes ?? postgresBlockBytes(sql),

		backups: postgresBackups(sql),
		async deleteFromMailbox(owner, id) {
			return sql.begin(async (tx) => {
				const removed = await tx`
					DELETE FROM mailbox_entries WHERE owner = ${owner} AND message_id = ${id}
					RETURNING message_id`;
				if (removed.length === 0) return false;
				// A letter still waiting for another relay stays until it leaves: the sender
				// deleting their Sent copy does not take back what they sent.
				const stillNeeded = await tx`
					SELECT 1 FROM mailbox_entries WHERE message_id = ${id}
					UNION ALL SELECT 1 FROM outbound_queue WHERE message_id = ${id} AND state = 'queued'
					LIMIT 1`;
				if (stillNeeded.length === 0) {
					// Its blocks lose this reference; the sweep frees them once nothing else holds them.
					await tx`DELETE FROM message_blocks WHERE message_id = ${id}`;
					await tx`DELETE FROM outbound_queue WHERE message_id = ${id}`;
					await tx`DELETE FROM messages WHERE id = ${id}`;
				}
				return true;
			});
		},

		async appendState(owner, entry, createdAt, compactThrough) {
			return sql.begin(async (tx) => {
				const [counter] = await tx<{ last_seq: string }[]>`
					INSERT INTO mailbox_counters (owner, folder, last_seq) VALUES (${owner}, 'state', 1)
					ON CONFLICT (owner, folder)
					DO UPDATE SET last_seq = mailbox_counters.last_seq + 1 RETURNING last_seq`;
				const seq = Number(counter!.last_seq);
				await tx`
					INSERT INTO state_log (owner, seq, entry, created_at)
					VALUES (${owner}, ${seq}, ${entry}, ${createdAt}::timestamptz)`;
				if (compactThrough !== undefined) {
					await tx`
						DELETE FROM state_log
						WHERE owner = ${owner} AND seq <= ${compactThrough} AND seq < ${seq}`;
				}
				return seq;
			});
		},

		async listState(owner, afterSeq, limit) {
			const rows = await sql<{ seq: string; entry: string; created_at: Date }[]>`
				SELECT seq, entry, created_at FROM state_log WHERE owner = ${owner} AND seq > ${afterSeq}
				ORDER BY seq LIMIT ${limit}`;
			return rows.map((row) => ({
				seq: Number(row.seq),
				entry: row.entry,
				createdAt: row.created_at.toISOString()
			}));
		},

		async recordBlock(hash, size, holder, now) {
			await sql.begin(async (tx) => {
				await tx`
					INSERT INTO blocks (hash, size, last_put_at) VALUES (${hash}, ${size}, ${now}::timestamptz)
					ON CONFLICT (hash) DO UPDATE SET last_put_at = excluded.last_put_at`;
				await tx`
					INSERT INTO block_holders (hash, account) VALUES (${hash}, ${holder})
					ON CONFLICT DO NOTHING`;
			});
		},

		async getBlock(hash) {
			const [row] = await sql<{ size: string }[]>`SELECT size FROM blocks WHERE hash = ${hash}`;
			return row ? { size: Number(row.size) } : undefined;
		},

		async mayReadBlock(hash, account) {
			const rows = await sql`
				SELECT 1 FROM block_holders WHERE hash = ${hash} AND account = ${account}
				UNION ALL
				SELECT 1 FROM message_blocks b JOIN mailbox_entries e ON e.message_id = b.message_id
				WHERE b.hash = ${hash} AND e.owner = ${account} LIMIT 1`;
			return rows.length > 0;
		},

		async storedBytes(owner, now, stateThrough = 0) {
			const [row] = await sql<{ total: string }[]>`
				SELECT
					(SELECT COALESCE(SUM(size), 0) FROM messages WHERE id IN
						(SELECT message_id FROM mailbox_entries WHERE owner = ${owner}))
					+ (SELECT COALESCE(SUM(octet_length(entry)), 0) FROM state_log
						WHERE owner = ${owner} AND seq > ${stateThrough})
					+ (SELECT COALESCE(SUM(octet_length(backup)), 0) FROM recovery_backups
						WHERE address = ${owner})
					+ (SELECT COALESCE(SUM(octet_length(backup)), 0) FROM transfers
						WHERE owner = ${owner} AND expires_at > ${now}::timestamptz) AS total`;
			return Number(row!.total);
		},

		async heldBlockBytes(account) {
			const [row] = await sql<{ total: string }[]>`
				SELECT COALESCE(SUM(b.size), 0) AS total FROM block_holders h
				JOIN blocks b ON b.hash = h.hash WHERE h.account = ${account}`;
			return Number(row!.total);
		},

		async blocksNotHeld(holder, hashes) {
			const rows = await sql<{ hash: string }[]>`
				SELECT DISTINCT hash FROM unnest(${hashes}::text[]) AS wanted (hash)
				WHERE hash NOT IN (SELECT hash FROM block_holders WHERE account = ${holder})`;
			return rows.map((row) => row.hash);
		},

		async sweepBlocks(before) {
			const rows = await sql<{ hash: string }[]>`
				DELETE FROM blocks WHERE last_put_at < ${before}::timestamptz AND NOT EXISTS
				(SELECT 1 FROM message_blocks m WHERE m.hash = blocks.hash) RETURNING hash`;
			return rows.map((row) => row.hash);
		},

		async putList(list) {
			return sql.begin(async (tx) => {
				// Two accounts racing to create one list: the lock lets only the first one win.
				await tx`SELECT pg_advisory_xact_lock(hashtext(${'list:' + list.address}))`;
				const [account] = await tx`SELECT 1 FROM accounts WHERE address = ${list.address}`;
				if (account) return 'taken' as const;
				const [existing] = await tx<{ owner: string }[]>`
					SELECT owner FROM lists WHERE address = ${list.address}`;
				if (existing && existing.owner !== list.owner) return 'not-owner' as const;
				if (!existing) {
					await tx`
						INSERT INTO lists (address, owner, created_at)
						VALUES (${list.address}, ${list.owner}, ${list.createdAt}::timestamptz)`;
				}
				await tx`
					DELETE FROM list_members
					WHERE list = ${list.address} AND NOT (member = ANY(${list.members}::text[]))`;
				for (const member of list.members) {
					await tx`
						INSERT INTO list_members (list, member, status)
						VALUES (${list.address}, ${member}, ${member === list.owner ? 'accepted' : 'invited'})
						ON CONFLICT DO NOTHING`;
				}
				return existing ? ('replaced' as const) : ('created' as const);
			});
		},

		async getList(address) {
			const [list] = await sql<
				{ owner: string }[]
			>`SELECT owner FROM lists WHERE address = ${address}`;
			if (!list) return undefined;
			const members = await sql<{ member: string; status: MembershipStatus }[]>`
				SELECT member, status FROM list_members WHERE list = ${address} ORDER BY member`;
			return {
				address,
				owner: list.owner,
				members: members.map((row) => ({ address: row.member, status: row.status }))
			};
		},

		async answerMembership(list, member, status) {
			const changed = await sql`
				UPDATE list_members SET status = ${status} WHERE list = ${list} AND member = ${member}`;
			return changed.count > 0;
		},

		async listMemberships(member) {
			return sql<{ list: string; owner: string; status: MembershipStatus }[]>`
				SELECT m.list, l.owner, m.status FROM list_members m JOIN lists l ON l.address = m.list
				WHERE m.member = ${member} ORDER BY m.list`;
		},

		async deleteList(address, owner) {
			return sql.begin(async (tx) => {
				const [list] = await tx<{ owner: string }[]>`
					SELECT owner FROM lists WHERE address = ${address} FOR UPDATE`;
				if (!list) return 'missing' as const;
				if (list.owner !== owner) return 'not-owner' as const;
				await tx`DELETE FROM lists WHERE address = ${address}`;
				return 'deleted' as const;
			});
		},

		async createEventTicket(ticket, now) {
			await sql.begin(async (tx) => {
				await tx`DELETE FROM event_tickets WHERE expires_at <= ${now}::timestamptz`;
				await tx`
					INSERT INTO event_tickets (ticket_hash, address, expires_at)
					VALUES (${ticket.ticketHash}, ${ticket.address}, ${ticket.expiresAt}::timestamptz)`;
			});
		},

		async redeemEventTicket(ticketHash, now) {
			const [row] = await sql<{ address: string }[]>`
				DELETE FROM event_tickets
				WHERE ticket_hash = ${ticketHash} AND expires_at > ${now}::timestamptz
				RETURNING address`;
			return row?.address;
		},

		// Every process LISTENs on one channel; the payload names the schema, so relays that share
		// a database in different schemas ignore each other.
		async announceMailboxes(owners) {
			await sql`SELECT pg_notify(${ANNOUNCE_CHANNEL}, ${`${schema} `} || owner)
				FROM unnest(${owners}::text[]) AS owner`;
		},

		async watchMailboxes(listener) {
			const prefix = `${schema} `;
			const { unlisten } = await sql.listen(ANNOUNCE_CHANNEL, (payload) => {
				if (payload.startsWith(prefix)) listener(payload.slice(prefix.length));
			});
			return unlisten;
		},

		sharedCounters: {
			async query({ text, values }) {
				const rows = await sql.unsafe(text, (values ?? []) as postgres.ParameterOrJSON<never>[]);
				return { rows, rowCount: rows.count };
			}
		},

		async close() {
			await sql.end({ timeout: 5 });
		}
	};
}
