// Each account's mail state log (folders and flags, encrypted by its own clients) and the bytes
// an account keeps, which its quota counts.
import { ByteTally, storedBytes, storedBytesOf, uncountState } from './account-bytes';
import type { Dialect } from './dialect';
import { nextSeq } from './messages';
import type { Storage } from './types';

type StateMethods = Pick<Storage, 'appendState' | 'listState' | 'storedBytes' | 'storedBytesOf'>;

export function mailState({ db, write }: Dialect): StateMethods {
	return {
		// The sequence comes from the owner's counter row with folder 'state', the same per-owner
		// lock that orders deliveries.
		appendState: (owner, entry, createdAt, compactThrough) =>
			write(async (tx) => {
				const seq = await nextSeq(db, tx, owner, 'state');
				await tx
					.insertInto('state_log')
					.values({ owner, seq, entry, created_at: createdAt })
					.execute();
				const tally = new ByteTally();
				tally.add(owner, { state: Buffer.byteLength(entry) });
				await tally.flush(tx);
				if (compactThrough !== undefined) {
					await uncountState(tx, owner, compactThrough, seq);
					await tx
						.deleteFrom('state_log')
						.where('owner', '=', owner)
						.where('seq', '<=', compactThrough)
						.where('seq', '<', seq)
						.execute();
				}
				return seq;
			}),

		async listState(owner, afterSeq, limit) {
			const rows = await db
				.selectFrom('state_log')
				.select(['seq', 'entry', 'created_at'])
				.where('owner', '=', owner)
				.where('seq', '>', afterSeq)
				.orderBy('seq')
				.limit(limit)
				.execute();
			return rows.map((row) => ({
				seq: Number(row.seq),
				entry: row.entry,
				createdAt: row.created_at
			}));
		},

		// octet_length counts UTF-8 bytes in both databases (SQLite has it since 3.43), as
		// Buffer.byteLength does for the running count.
		storedBytes: (owner, now, stateThrough = 0) => storedBytes(db, owner, now, stateThrough),
		storedBytesOf: (owners, now) => storedBytesOf(db, owners, now)
	};
}
