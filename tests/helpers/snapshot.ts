// Everything a relay has stored, as one comparable string: every row of every table, read
// through a separate connection so the relay's own code is not the judge of its state.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import postgres from 'postgres';
import type { RunningRelay } from './relay-server';

const TABLES = [
	'accounts',
	'directory_keys',
	'challenges',
	'sessions',
	'messages',
	'mailbox_counters',
	'mailbox_entries',
	'blocks',
	'block_holders',
	'message_blocks',
	'spent_stamps',
	'allow_lists',
	'recovery_backups',
	'transfers',
	'state_log'
];

export interface Snapshotter {
	take(): Promise<string>;
	close(): Promise<void>;
}

export function snapshotter(relay: RunningRelay): Snapshotter {
	if (relay.schema) {
		const url = process.env.LETTERLOCK_TEST_DATABASE_URL!;
		const sql = postgres(url, { connection: { search_path: relay.schema }, onnotice: () => {} });
		return {
			async take() {
				const dump: Record<string, unknown> = {};
				for (const table of TABLES) {
					dump[table] = await sql.unsafe(`SELECT * FROM ${table} ORDER BY 1, 2`);
				}
				return JSON.stringify(dump);
			},
			close: () => sql.end()
		};
	}
	const db = new Database(join(relay.dataDir, 'letterlock.sqlite'), { readonly: true });
	return {
		async take() {
			return JSON.stringify(
				Object.fromEntries(
					TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()])
				)
			);
		},
		async close() {
			db.close();
		}
	};
}
