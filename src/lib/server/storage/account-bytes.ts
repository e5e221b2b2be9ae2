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

/** `Storage.storedBytes` in one statement: the running count, less the state entries through
 * `stateThrough` (none unless a compaction asks), plus the backup and open transfers (an
 * account has at most a few; transfers stop counting when they expire, so they are summed). */
export async function storedBytes(
	db: Db,
	owner: string,
	now: string,
	stateThrough: number
): Promise<number> {
	const { rows } = await sql<{ total: number | string }>`
		SELECT
			COALESCE((SELECT mail + state FROM account_bytes WHERE owner = ${owner}), 0)
			- (SELECT COALESCE(SUM(octet_length(entry)), 0) FROM state_log
				WHERE owner = ${owner} AND seq <= ${stateThrough})
			+ (SELECT COALESCE(SUM(octet_length(backup)), 0) FROM recovery_backups
				WHERE address = ${owner})
			+ (SELECT COALESCE(SUM(octet_length(backup)), 0) FROM transfers
				WHERE owner = ${owner} AND expires_at > ${now}) AS total`.execute(db);
	return Number(rows[0]!.total);
}
