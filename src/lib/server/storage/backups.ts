// Recovery backups and device transfers: ciphertext the relay keeps for its owner (BackupStore).
import type { Dialect } from './dialect';
import type { BackupStore } from './types';

export function backups({ db, write, lock, rowLocks }: Dialect): BackupStore {
	return {
		putRecovery: (record) =>
			write(async (tx) => {
				// Two first uploads at once: the lock makes the second see the first's row.
				await lock(tx, `recovery:${record.address}`);
				const existed = await tx
					.selectFrom('recovery_backups')
					.select('address')
					.where('address', '=', record.address)
					.executeTakeFirst();
				const row = {
					lookup_hash: record.lookupHash,
					backup: record.backup,
					updated_at: record.updatedAt
				};
				await tx
					.insertInto('recovery_backups')
					.values({ address: record.address, ...row })
					.onConflict((conflict) => conflict.column('address').doUpdateSet(row))
					.execute();
				return existed ? 'replaced' : 'created';
			}),

		async getRecovery(address) {
			const row = await db
				.selectFrom('recovery_backups')
				.select(['address', 'lookup_hash', 'backup', 'updated_at'])
				.where('address', '=', address)
				.executeTakeFirst();
			return row
				? {
						address: row.address,
						lookupHash: row.lookup_hash,
						backup: row.backup,
						updatedAt: row.updated_at
					}
				: undefined;
		},

		async deleteRecovery(address) {
			await db.deleteFrom('recovery_backups').where('address', '=', address).execute();
		},

		createTransfer: (transfer, now) =>
			write(async (tx) => {
				await tx.deleteFrom('transfers').where('expires_at', '<=', now).execute();
				const inserted = await tx
					.insertInto('transfers')
					.values({
						id: transfer.id,
						owner: transfer.owner,
						backup: transfer.backup,
						expires_at: transfer.expiresAt,
						claimed: false
					})
					.onConflict((conflict) => conflict.column('id').doNothing())
					.executeTakeFirst();
				return Number(inserted.numInsertedOrUpdatedRows) === 0 ? 'exists' : 'created';
			}),

		async getTransfer(id, now) {
			const row = await db
				.selectFrom('transfers')
				.select(['owner', 'expires_at', 'claimed'])
				.where('id', '=', id)
				.where('expires_at', '>', now)
				.executeTakeFirst();
			return row
				? { owner: row.owner, expiresAt: row.expires_at, claimed: !!row.claimed }
				: undefined;
		},

		// The row lock (PostgreSQL) or the write lock (SQLite) makes two claims at once take turns:
		// only the first finds the backup.
		claimTransfer: (id, now) =>
			write(async (tx) => {
				const row = await tx
					.selectFrom('transfers')
					.select('backup')
					.where('id', '=', id)
					.where('claimed', '=', false)
					.where('expires_at', '>', now)
					.where('backup', 'is not', null)
					.$if(rowLocks, (query) => query.forUpdate())
					.executeTakeFirst();
				if (!row?.backup) return undefined;
				await tx
					.updateTable('transfers')
					.set({ backup: null, claimed: true })
					.where('id', '=', id)
					.execute();
				return row.backup;
			}),

		async deleteTransfer(id) {
			await db.deleteFrom('transfers').where('id', '=', id).execute();
		}
	};
}
