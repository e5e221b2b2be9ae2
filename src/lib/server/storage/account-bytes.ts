// The running count of what each account keeps (table account_bytes, schema.ts): changed in the
// same transaction as the rows it counts, so that it stays exact through crashes and rollbacks,
// and the quota check reads it instead of summing a mailbox that only grows.
import { sql } from 'kysely';
import type { Db } from './dialect';

/** Bytes to add per owner, gathered over a transaction's letters and written in one statement
 * at its end: a batch of sends then pays one round trip for its counts, not one per letter. */
export class ByteTally {
	readonly #owners = new Map<string, { mail: number; state: number }>();

	add(owner: string, bytes: { mail?: number; state?: number }): void {
		const counted = this.#owners.get(owner) ?? { mail: 0, state: 0 };
		counted.mail += bytes.mail ?? 0;
		counted.state += bytes.state ?? 0;
		this.#owners.set(owner, counted);
	}

	/** Writes what was gathered into `tx`, in owner order (rows locked in one global order
	 * cannot deadlock against another transaction doing the same), and forgets it. */
	async flush(tx: Db): Promise<void> {
		if (this.#owners.size === 0) return;
		const rows = [...this.#owners]
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([owner, counted]) => ({ owner, ...counted }));
		this.#owners.clear();
		await tx
			.insertInto('account_bytes')
			.values(rows)
			.onConflict((conflict) =>
				conflict.column('owner').doUpdateSet((eb) => ({
					mail: eb('account_bytes.mail', '+', eb.ref('excluded.mail')),
					state: eb('account_bytes.state', '+', eb.ref('excluded.state'))
				}))
			)
			.execute();
	}
}

/** Takes letter `id` out of `owner`'s count; runs before the letter's row may be deleted. */
export async function uncountLetter(tx: Db, owner: string, id: string): Promise<void> {
	await sql`UPDATE account_bytes SET mail = mail - (SELECT size FROM messages WHERE id = ${id})
		WHERE owner = ${owner}`.execute(tx);
}

/** Takes the state entries a compaction is about to delete out of `owner`'s count. */
export async function uncountState(
	tx: Db,
	owner: string,
	through: number,
	below: number
): Promise<void> {
	await sql`UPDATE account_bytes SET state = state - (SELECT COALESCE(SUM(octet_length(entry)), 0)
		FROM state_log WHERE owner = ${owner} AND seq <= ${through} AND seq < ${below})
		WHERE owner = ${owner}`.execute(tx);
}

/** `Storage.storedBytesOf` in one statement, whatever the number of owners: the running count,
 * plus the backup and open transfers (an account has at most a few; transfers stop counting when
 * they expire, so they are summed). */
export async function storedBytesOf(
	db: Db,
	owners: string[],
	now: string
): Promise<Map<string, number>> {
	const held = new Map(owners.map((owner) => [owner, 0]));
	if (owners.length === 0) return held;
	const list = sql.join(owners);
	const { rows } = await sql<{ owner: string; total: number | string }>`
		SELECT owner, SUM(bytes) AS total FROM (
			SELECT owner, mail + state AS bytes FROM account_bytes WHERE owner IN (${list})
			UNION ALL
			SELECT address, octet_length(backup) FROM recovery_backups WHERE address IN (${list})
			UNION ALL
			SELECT owner, octet_length(backup) FROM transfers
				WHERE owner IN (${list}) AND expires_at > ${now}
		) AS kept GROUP BY owner`.execute(db);
	for (const row of rows) held.set(row.owner, Number(row.total));
	return held;
}

/** `Storage.storedBytes`: as above, less the state entries through `stateThrough` (asked only
 * by a compacting append). */
export async function storedBytes(
	db: Db,
	owner: string,
	now: string,
	stateThrough: number
): Promise<number> {
	const held = (await storedBytesOf(db, [owner], now)).get(owner)!;
	if (stateThrough <= 0) return held;
	const { rows } = await sql<{ compacted: number | string }>`
		SELECT COALESCE(SUM(octet_length(entry)), 0) AS compacted FROM state_log
			WHERE owner = ${owner} AND seq <= ${stateThrough}`.execute(db);
	return held - Number(rows[0]!.compacted);
}
