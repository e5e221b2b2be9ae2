// Messages and mailboxes: the ciphertext is stored once and filed in each recipient's inbox and
// the sender's sent folder, with its outbound queue items, block references and spent stamps, in
// the caller's one transaction.
import { sql } from 'kysely';
import type { Folder } from '$lib/protocol';
import { ByteTally, uncountLetter } from './account-bytes';
import type { Db, Dialect } from './dialect';
import { prepared } from './prepared';
import { StampSpentBefore, allRecipients, deliveryTargets } from './schema';
import type { MailboxEntry, NewMessage, Storage, StoreMessageResult } from './types';

type MessageMethods = Pick<
	Storage,
	| 'storeMessage'
	| 'storeMessages'
	| 'listMailbox'
	| 'getMailboxMessage'
	| 'deleteFromMailbox'
	| 'knowsSender'
	| 'replaceAllowList'
>;

/** Rows per multi-row INSERT: far below either database's limit on bound values. */
const BATCH = 1000;

export function* batches<T>(items: T[]): Generator<T[]> {
	for (let start = 0; start < items.length; start += BATCH) {
		yield items.slice(start, start + BATCH);
	}
}

/** The statements every send runs, compiled once per database (prepared.ts). */
function sendQueries(db: Db) {
	return {
		earlier: prepared(db, 2, (db, sender: string, key: string) =>
			db
				.selectFrom('messages')
				.select(['id', 'recipients', 'request_hash'])
				.where('sender', '=', sender)
				.where('idempotency_key', '=', key)
		),
		insert: prepared(db, 9, (db, ...row: MessageRow) =>
			db
				.insertInto('messages')
				.values({
					id: row[0],
					sender: row[1],
					recipients: row[2],
					armored: row[3],
					size: row[4],
					created_at: row[5],
					idempotency_key: row[6],
					request_hash: row[7],
					imported: row[8]
				})
				.onConflict((conflict) => conflict.columns(['sender', 'idempotency_key']).doNothing())
		),
		bump: prepared(db, 2, (db, owner: string, folder: string) =>
			db
				.insertInto('mailbox_counters')
				.values({ owner, folder, last_seq: 1 })
				.onConflict((conflict) =>
					conflict
						.columns(['owner', 'folder'])
						.doUpdateSet((eb) => ({ last_seq: eb('mailbox_counters.last_seq', '+', 1) }))
				)
				.returning('last_seq')
		),
		file: prepared(
			db,
			5,
			(db, owner: string, folder: 'inbox' | 'sent', seq: number, id: string, at: string) =>
				db
					.insertInto('mailbox_entries')
					.values({ owner, folder, seq, message_id: id, received_at: at })
		)
	};
}

type MessageRow = [
	id: string,
	sender: string,
	recipients: string,
	armored: string,
	size: number,
	createdAt: string,
	idempotencyKey: string | null,
	requestHash: string | null,
	imported: boolean
];

const compiledFor = new WeakMap<Db, ReturnType<typeof sendQueries>>();

/** Statements compiled by the root database serve its transactions too. */
function queriesOf(db: Db): ReturnType<typeof sendQueries> {
	let queries = compiledFor.get(db);
	if (!queries) {
		queries = sendQueries(db);
		compiledFor.set(db, queries);
	}
	return queries;
}

async function earlierSend(
	queries: ReturnType<typeof sendQueries>,
	tx: Db,
	message: NewMessage
): Promise<StoreMessageResult | undefined> {
	if (!message.idempotency) return undefined;
	const [row] = (await queries.earlier(tx, message.sender, message.idempotency.key)).rows;
	if (!row) return undefined;
	return row.request_hash === message.idempotency.requestHash
		? { status: 'replayed', id: row.id, recipients: JSON.parse(row.recipients) as string[] }
		: { status: 'key-reused' };
}

/** Stores a message inside the caller's transaction `tx` (on `db`), so that settling a failed
 * delivery can file its bounce atomically. Throws StampSpentBefore (rolling the transaction
 * back) on a spent stamp. Its bytes go into `tally` once it is stored, for the caller to flush
 * before committing; without one they are counted at once. */
export async function storeMessageIn(
	db: Db,
	tx: Db,
	message: NewMessage,
	tally?: ByteTally
): Promise<StoreMessageResult> {
	const queries = queriesOf(db);
	const earlier = await earlierSend(queries, tx, message);
	if (earlier) return earlier;
	// On PostgreSQL a concurrent send with the same key makes this insert wait for that
	// transaction and then do nothing; the re-read below then sees the winner's row.
	const inserted = await queries.insert(
		tx,
		message.id,
		message.sender,
		JSON.stringify(allRecipients(message)),
		message.armored,
		message.size,
		message.createdAt,
		message.idempotency?.key ?? null,
		message.idempotency?.requestHash ?? null,
		message.imported === true
	);
	if (Number(inserted.numAffectedRows) === 0) {
		const winner = await earlierSend(queries, tx, message);
		if (winner) return winner;
		throw new Error('A message insert conflicted but no earlier message was found.');
	}
	const owners = new Set<string>();
	for (const { owner, folder } of deliveryTargets(message)) {
		const seq = await nextSeq(db, tx, owner, folder);
		await queries.file(tx, owner, folder, seq, message.id, message.createdAt);
		owners.add(owner);
	}
	for (const group of message.outbound ?? []) {
		await tx
			.insertInto('outbound_queue')
			.values({
				message_id: message.id,
				domain: group.domain,
				sender: message.sender,
				recipients: JSON.stringify(group.recipients),
				stamps: group.stamps ? JSON.stringify(group.stamps) : null,
				state: 'queued',
				queued_at: message.createdAt,
				next_attempt_at: message.createdAt
			})
			.execute();
	}
	for (const hashes of batches([...new Set(message.blocks ?? [])])) {
		await tx
			.insertInto('message_blocks')
			.values(hashes.map((hash) => ({ message_id: message.id, hash })))
			.onConflict((conflict) => conflict.doNothing())
			.execute();
	}
	if (message.stamps?.length) {
		await tx.deleteFrom('spent_stamps').where('expires_at', '<=', message.createdAt).execute();
		for (const stamps of batches(message.stamps)) {
			const spent = await tx
				.insertInto('spent_stamps')
				.values(stamps.map((stamp) => ({ hash: stamp.hash, expires_at: stamp.expiresAt })))
				.onConflict((conflict) => conflict.column('hash').doNothing())
				.executeTakeFirst();
			if (Number(spent.numInsertedOrUpdatedRows) < stamps.length) throw new StampSpentBefore();
		}
	}
	// Last, so that a letter refused above never reaches the tally. Filed in both of an owner's
	// folders (to oneself), a letter counts once.
	const counting = tally ?? new ByteTally();
	for (const owner of owners) counting.add(owner, { mail: message.size });
	if (!tally) await counting.flush(tx);
	return { status: 'stored', id: message.id, recipients: allRecipients(message) };
}

/** The next position in an owner's folder (or 'state' log). The counter row's lock orders
 * concurrent deliveries to one mailbox by commit (schema.ts). */
export async function nextSeq(db: Db, tx: Db, owner: string, folder: string): Promise<number> {
	const [counter] = (await queriesOf(db).bump(tx, owner, folder)).rows;
	return Number(counter!.last_seq);
}

const entryColumns = [
	'e.seq',
	'e.folder',
	'e.message_id',
	'm.sender',
	'm.size',
	'e.received_at',
	'm.imported'
] as const;

const toEntry = (row: {
	seq: number | string;
	folder: 'inbox' | 'sent';
	message_id: string;
	sender: string;
	size: number;
	received_at: string;
	imported: number | boolean;
}): MailboxEntry => ({
	seq: Number(row.seq),
	folder: row.folder as Folder,
	messageId: row.message_id,
	sender: row.sender,
	size: row.size,
	receivedAt: row.received_at,
	imported: !!row.imported
});

export function messages({ db, write, jsonArrayHas }: Dialect): MessageMethods {
	const entries = () =>
		db.selectFrom('mailbox_entries as e').innerJoin('messages as m', 'm.id', 'e.message_id');
	return {
		storeMessage: (message) =>
			write((tx) => storeMessageIn(db, tx, message)).catch((error: unknown) => {
				if (error instanceof StampSpentBefore) return { status: 'stamp-reused' as const };
				throw error;
			}),

		// One transaction, so the batch shares one commit (one fsync); each letter in a savepoint
		// of its own, so a refused or failing letter is rolled back alone and the others stay.
		storeMessages: (batch) =>
			write(async (tx) => {
				const results: PromiseSettledResult<StoreMessageResult>[] = [];
				const tally = new ByteTally();
				for (const message of batch) {
					await sql`SAVEPOINT one_letter`.execute(tx);
					try {
						const value = await storeMessageIn(db, tx, message, tally);
						results.push({ status: 'fulfilled', value });
					} catch (error) {
						await sql`ROLLBACK TO SAVEPOINT one_letter`.execute(tx);
						results.push(
							error instanceof StampSpentBefore
								? { status: 'fulfilled', value: { status: 'stamp-reused' } }
								: { status: 'rejected', reason: error }
						);
					}
					await sql`RELEASE SAVEPOINT one_letter`.execute(tx);
				}
				await tally.flush(tx);
				return results;
			}),

		async listMailbox(owner, folder, afterSeq, limit) {
			const rows = await entries()
				.select(entryColumns)
				.where('e.owner', '=', owner)
				.where('e.folder', '=', folder as 'inbox' | 'sent')
				.where('e.seq', '>', afterSeq)
				.orderBy('e.seq')
				.limit(limit)
				.execute();
			return rows.map(toEntry);
		},

		async getMailboxMessage(owner, id) {
			const row = await entries()
				.select([...entryColumns, 'm.recipients', 'm.armored'])
				.where('e.owner', '=', owner)
				.where('e.message_id', '=', id)
				.orderBy('e.folder')
				.limit(1)
				.executeTakeFirst();
			return row
				? {
						...toEntry(row),
						recipients: JSON.parse(row.recipients) as string[],
						armored: row.armored
					}
				: undefined;
		},

		deleteFromMailbox: (owner, id) =>
			write(async (tx) => {
				const removed = await tx
					.deleteFrom('mailbox_entries')
					.where('owner', '=', owner)
					.where('message_id', '=', id)
					.executeTakeFirst();
				if (Number(removed.numDeletedRows) === 0) return false;
				await uncountLetter(tx, owner, id);
				// A letter still waiting for another relay stays until it leaves: the sender
				// deleting their Sent copy does not take back what they sent.
				const filed = await tx
					.selectFrom('mailbox_entries')
					.select('message_id')
					.where('message_id', '=', id)
					.limit(1)
					.executeTakeFirst();
				const queued = await tx
					.selectFrom('outbound_queue')
					.select('message_id')
					.where('message_id', '=', id)
					.where('state', '=', 'queued')
					.limit(1)
					.executeTakeFirst();
				if (!filed && !queued) {
					// Its blocks lose this reference; the sweep frees them once nothing else holds them.
					await tx.deleteFrom('message_blocks').where('message_id', '=', id).execute();
					await tx.deleteFrom('outbound_queue').where('message_id', '=', id).execute();
					await tx.deleteFrom('messages').where('id', '=', id).execute();
				}
				return true;
			}),

		// Imported mail never counts: its envelope is whatever the importer claims.
		async knowsSender(owner, sender, allowHash) {
			const allowed = await db
				.selectFrom('allow_lists')
				.select('hash')
				.where('owner', '=', owner)
				.where('hash', '=', allowHash)
				.executeTakeFirst();
			if (allowed) return true;
			const written = await db
				.selectFrom('messages')
				.select('id')
				.where('sender', '=', owner)
				.where('imported', '=', false)
				.where(jsonArrayHas('recipients', sender))
				.limit(1)
				.executeTakeFirst();
			return written !== undefined;
		},

		replaceAllowList: (owner, hashes) =>
			write(async (tx) => {
				await tx.deleteFrom('allow_lists').where('owner', '=', owner).execute();
				for (const batch of batches([...new Set(hashes)])) {
					await tx
						.insertInto('allow_lists')
						.values(batch.map((hash) => ({ owner, hash })))
						.execute();
				}
			})
	};
}
