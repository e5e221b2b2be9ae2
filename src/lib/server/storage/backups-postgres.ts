// Recovery backups and device transfers in PostgreSQL (see BackupStore).
import type postgres from 'postgres';
import type { BackupStore } from './types';

export function postgresBackups(sql: postgres.Sql): BackupStore {
	return {
		async putRecovery(record) {
			// xmax is 0 for a freshly inserted row and the updating transaction's id otherwise.
			const [row] = await sql<{ inserted: boolean }[]>`
				INSERT INTO recovery_backups (address, lookup_hash, backup, updated_at)
				VALUES (${record.address}, ${record.lookupHash}, ${record.backup},
					${record.updatedAt}::timestamptz)
				ON CONFLICT (address) DO UPDATE SET lookup_hash = excluded.lookup_hash,
					backup = excluded.backup, updated_at = excluded.updated_at
				RETURNING (xmax = 0) AS inserted`;
			return row!.inserted ? 'created' : 'replaced';
		},

		async getRecovery(address) {
			const [row] = await sql<
				{ address: string; lookup_hash: string; backup: string; updated_at: Date }[]
			>`SELECT address, lookup_hash, backup, updated_at FROM recovery_backups
				WHERE address = ${address}`;
			return row
				? {
						address: row.address,
						lookupHash: row.lookup_hash,
						backup: row.backup,
						updatedAt: row.updated_at.toISOString()
					}
				: undefined;
		},

		async deleteRecovery(address) {
			await sql`DELETE FROM recovery_backups WHERE address = ${address}`;
		},

		async createTransfer(transfer, now) {
			return sql.begin(async (tx) => {
				await tx`DELETE FROM transfers WHERE expires_at <= ${now}::timestamptz`;
				const inserted = await tx`
					INSERT INTO transfers (id, owner, backup, expires_at, claimed)
					VALUES (${transfer.id}, ${transfer.owner}, ${transfer.backup},
						${transfer.expiresAt}::timestamptz, FALSE)
					ON CONFLICT (id) DO NOTHING RETURNING id`;
				return inserted.length === 0 ? ('exists' as const) : ('created' as const);
			});
		},

		async getTransfer(id, now) {
			const [row] = await sql<{ owner: string; expires_at: Date; claimed: boolean }[]>`
				SELECT owner, expires_at, claimed FROM transfers
				WHERE id = ${id} AND expires_at > ${now}::timestamptz`;
			return row
				? { owner: row.owner, expiresAt: row.expires_at.toISOString(), claimed: row.claimed }
				: undefined;
		},

		async claimTransfer(id, now) {
			return sql.begin(async (tx) => {
				// The row lock makes two claims at once take turns: only the first finds the backup.
				const [row] = await tx<{ backup: string }[]>`
					SELECT backup FROM transfers
					WHERE id = ${id} AND NOT claimed AND expires_at > ${now}::timestamptz
						AND backup IS NOT NULL
					FOR UPDATE`;
				if (!row) return undefined;
				await tx`UPDATE transfers SET backup = NULL, claimed = TRUE WHERE id = ${id}`;
				return row.backup;
			});
		},

		async deleteTransfer(id) {
			await sql`DELETE FROM transfers WHERE id = ${id}`;
		}
	};
}
