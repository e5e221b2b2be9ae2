// Recovery backups and device transfers in the SQLite file (see BackupStore).
import type Database from 'better-sqlite3';
import type { BackupStore, RecoveryRecord } from './types';

export function sqliteBackups(db: Database.Database): BackupStore {
	const putRecovery = db.transaction((record: RecoveryRecord): 'created' | 'replaced' => {
		const existed = db
			.prepare('SELECT 1 FROM recovery_backups WHERE address = ?')
			.get(record.address);
		db.prepare(
			`INSERT INTO recovery_backups (address, lookup_hash, backup, updated_at) VALUES (?, ?, ?, ?)
			 ON CONFLICT (address) DO UPDATE SET lookup_hash = excluded.lookup_hash,
			 backup = excluded.backup, updated_at = excluded.updated_at`
		).run(record.address, record.lookupHash, record.backup, record.updatedAt);
		return existed ? 'replaced' : 'created';
	});

	const createTransfer = db.transaction(
		(
			transfer: { id: string; owner: string; backup: string; expiresAt: string },
			now: string
		): 'created' | 'exists' => {
			db.prepare('DELETE FROM transfers WHERE expires_at <= ?').run(now);
			const inserted = db
				.prepare(
					`INSERT INTO transfers (id, owner, backup, expires_at, claimed) VALUES (?, ?, ?, ?, 0)
					 ON CONFLICT (id) DO NOTHING`
				)
				.run(transfer.id, transfer.owner, transfer.backup, transfer.expiresAt);
			return inserted.changes === 0 ? 'exists' : 'created';
		}
	);

	const claimTransfer = db.transaction((id: string, now: string): string | undefined => {
		const row = db
			.prepare(
				'SELECT backup FROM transfers WHERE id = ? AND claimed = 0 AND expires_at > ? AND backup IS NOT NULL'
			)
			.get(id, now) as { backup: string } | undefined;
		if (!row) return undefined;
		db.prepare('UPDATE transfers SET backup = NULL, claimed = 1 WHERE id = ?').run(id);
		return row.backup;
	});

	return {
		async putRecovery(record) {
			return putRecovery.immediate(record);
		},

		async getRecovery(address) {
			const row = db
				.prepare(
					'SELECT address, lookup_hash, backup, updated_at FROM recovery_backups WHERE address = ?'
				)
				.get(address) as
				{ address: string; lookup_hash: string; backup: string; updated_at: string } | undefined;
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
			db.prepare('DELETE FROM recovery_backups WHERE address = ?').run(address);
		},

		async createTransfer(transfer, now) {
			return createTransfer.immediate(transfer, now);
		},

		async getTransfer(id, now) {
			const row = db
				.prepare('SELECT owner, expires_at, claimed FROM transfers WHERE id = ? AND expires_at > ?')
				.get(id, now) as { owner: string; expires_at: string; claimed: number } | undefined;
			return row
				? { owner: row.owner, expiresAt: row.expires_at, claimed: row.claimed === 1 }
				: undefined;
		},

		async claimTransfer(id, now) {
			return claimTransfer.immediate(id, now);
		},

		async deleteTransfer(id) {
			db.prepare('DELETE FROM transfers WHERE id = ?').run(id);
		}
	};
}
