// Everything in which SQLite and PostgreSQL really differ, in one place; the storage modules are
// written once over Kysely and ask this for: how to open the database and spell column types,
// where the schema version lives, how a write transaction takes its lock (SQLite: BEGIN
// IMMEDIATE on its one connection; PostgreSQL: row locks, SKIP LOCKED, advisory locks), how to
// look into a JSON array, and how relay processes tell each other about new mail (in-process
// events; LISTEN/NOTIFY).
import Database from 'better-sqlite3';
import {
	Kysely,
	SqliteDialect,
	sql,
	type RawBuilder,
	type SqliteDatabase,
	type SqliteStatement
} from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { copyBlockRow } from './block-copy';
import type { ColumnTypes } from './schema';
import type { Tables } from './tables';
import type { SharedCounters } from './types';

export type Db = Kysely<Tables>;

export interface Dialect {
	readonly name: 'sqlite' | 'postgres';
	readonly db: Db;
	readonly types: ColumnTypes;
	/** Runs `fn` in one transaction that holds the write lock from its first statement, so that
	 * what it reads cannot change under it before it writes. */
	write<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
	/** Serialises transactions on `key` until commit: PostgreSQL's advisory lock; a no-op in
	 * SQLite, whose write transactions already run one at a time. */
	lock(tx: Db, key: string): Promise<void>;
	/** Whether SELECT … FOR UPDATE [SKIP LOCKED] exists (SQLite has no row locks). */
	readonly rowLocks: boolean;
	/** True where the JSON array of strings in `column` holds `value`. */
	jsonArrayHas(column: string, value: string): RawBuilder<boolean>;
	/** The schema version, read and written inside the migration's transaction. */
	version(tx: Db): Promise<number>;
	setVersion(tx: Db, version: number): Promise<void>;
	announce(owners: string[]): Promise<void>;
	watch(listener: (owner: string) => void): Promise<() => Promise<void>>;
	sharedCounters?: SharedCounters;
	/** Writes a block_data row faster than an INSERT can (PostgreSQL: block-copy.ts). */
	writeBlockRow?(hash: string, parts: Uint8Array[]): Promise<void>;
	close(): Promise<void>;
}

export const SQLITE_TYPES: ColumnTypes = {
	serial: 'INTEGER PRIMARY KEY',
	bigint: 'INTEGER',
	time: 'TEXT',
	flag: 'INTEGER',
	no: '0',
	bytes: 'BLOB'
};

export const POSTGRES_TYPES: ColumnTypes = {
	serial: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
	bigint: 'BIGINT',
	time: 'TIMESTAMPTZ',
	flag: 'BOOLEAN',
	no: 'FALSE',
	bytes: 'BYTEA'
};

/** better-sqlite3 for Kysely, with two changes. Statements are kept: Kysely prepares every query
 * anew, and a send runs the same few statements every time (bounded, since IN lists of varying
 * length make new texts). Booleans bind as 0/1, which better-sqlite3 refuses to guess, so the
 * modules pass true/false to both databases. */
function sqliteDatabase(file: Database.Database): SqliteDatabase {
	const kept = new Map<string, SqliteStatement>();
	const bind = (values: ReadonlyArray<unknown>) =>
		values.map((value) => (typeof value === 'boolean' ? Number(value) : value));
	const prepare = (text: string): SqliteStatement => {
		const statement = file.prepare(text);
		return {
			reader: statement.reader,
			all: (values) => statement.all(bind(values)),
			run: (values) => statement.run(bind(values)),
			iterate: (values) => statement.iterate(bind(values))
		};
	};
	return {
		close: () => file.close(),
		prepare(text) {
			let statement = kept.get(text);
			if (!statement) {
				if (kept.size >= 500) kept.clear();
				statement = prepare(text);
				kept.set(text, statement);
			}
			return statement;
		}
	};
}

/** One SQLite file in the data directory. WAL with synchronous=FULL makes every committed
 * transaction durable across a power cut, at a small cost per commit. */
export function sqliteDialect(dataDir: string): Dialect {
	mkdirSync(dataDir, { recursive: true });
	const file = new Database(join(dataDir, 'letterlock.sqlite'));
	file.pragma('journal_mode = WAL');
	file.pragma('synchronous = FULL');
	file.pragma('foreign_keys = ON');
	file.pragma('busy_timeout = 5000');
	const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqliteDatabase(file) }) });
	const announcements = new EventEmitter().setMaxListeners(0);
	return {
		name: 'sqlite',
		db,
		types: SQLITE_TYPES,
		// Kysely's SQLite transactions BEGIN DEFERRED; IMMEDIATE takes the write lock up front, so a
		// second process on the same file waits (busy_timeout) instead of failing mid-transaction.
		write: (fn) =>
			db.connection().execute(async (connection) => {
				await sql`BEGIN IMMEDIATE`.execute(connection);
				try {
					const result = await fn(connection);
					await sql`COMMIT`.execute(connection);
					return result;
				} catch (error) {
					await sql`ROLLBACK`.execute(connection);
					throw error;
				}
			}),
		lock: async () => {},
		rowLocks: false,
		jsonArrayHas: (column, value) =>
			sql<boolean>`EXISTS (SELECT 1 FROM json_each(${sql.ref(column)}) WHERE value = ${value})`,
		version: async () => file.pragma('user_version', { simple: true }) as number,
		setVersion: async (_, version) => void file.pragma(`user_version = ${Number(version)}`),
		// SQLite serves one relay process, so announcements stay in it.
		announce: async (owners) => {
			for (const owner of owners) announcements.emit('mailbox', owner);
		},
		watch: async (listener) => {
			announcements.on('mailbox', listener);
			return async () => void announcements.off('mailbox', listener);
		},
		close: async () => {
			announcements.removeAllListeners();
			await db.destroy();
		}
	};
}

const ANNOUNCE_CHANNEL = 'letterlock_mailbox';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** PostgreSQL, shared by several relay processes; tables live in `schema`. */
export function postgresDialect(url: string, schema: string): Dialect {
	if (!SCHEMA_NAME.test(schema)) {
		throw new Error(`Invalid schema name "${schema}": use lowercase letters, digits, underscores.`);
	}
	const client = postgres(url, {
		max: 10,
		connection: { search_path: schema },
		onnotice: () => {},
		// Times come back as the ISO strings SQLite keeps, so records read the same from both.
		types: {
			time: {
				to: 1184,
				from: [1184],
				serialize: (value: string | Date) => new Date(value).toISOString(),
				parse: (value: string) => new Date(value).toISOString()
			}
		}
	});
	const db = new Kysely<Tables>({ dialect: new PostgresJSDialect({ postgres: client }) });
	const quoted = `"${schema}"`;
	return {
		name: 'postgres',
		db,
		types: POSTGRES_TYPES,
		write: (fn) => db.transaction().execute(fn),
		writeBlockRow: (hash, parts) => copyBlockRow(client, hash, parts),
		lock: async (tx, key) => {
			await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
		},
		rowLocks: true,
		jsonArrayHas: (column, value) =>
			sql<boolean>`jsonb_exists(${sql.ref(column)}::jsonb, ${value})`,
		async version(tx) {
			// Several relay processes may start at once against one database: one migrates, the
			// others wait here and then find nothing left to do.
			await this.lock(tx, `letterlock:${schema}`);
			// CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS, which
			// a production role given only an existing schema may lack.
			const existing = await sql`SELECT 1 FROM pg_namespace WHERE nspname = ${schema}`.execute(tx);
			if (existing.rows.length === 0) await sql.raw(`CREATE SCHEMA ${quoted}`).execute(tx);
			await sql
				.raw(`CREATE TABLE IF NOT EXISTS ${quoted}.schema_version (version INTEGER NOT NULL)`)
				.execute(tx);
			const rows = await sql<{
				version: number;
			}>`SELECT version FROM ${sql.raw(quoted)}.schema_version`.execute(tx);
			return rows.rows[0]?.version ?? 0;
		},
		async setVersion(tx, version) {
			await sql.raw(`DELETE FROM ${quoted}.schema_version`).execute(tx);
			await sql`INSERT INTO ${sql.raw(quoted)}.schema_version (version) VALUES (${version})`.execute(
				tx
			);
		},
		// Every process LISTENs on one channel; the payload names the schema, so relays that share
		// a database in different schemas ignore each other.
		announce: async (owners) => {
			await client`SELECT pg_notify(${ANNOUNCE_CHANNEL}, ${`${schema} `} || owner)
				FROM unnest(${owners}::text[]) AS owner`;
		},
		watch: async (listener) => {
			const prefix = `${schema} `;
			const { unlisten } = await client.listen(ANNOUNCE_CHANNEL, (payload) => {
				if (payload.startsWith(prefix)) listener(payload.slice(prefix.length));
			});
			return unlisten;
		},
		sharedCounters: {
			async query({ text, values }) {
				const rows = await client.unsafe(text, (values ?? []) as postgres.ParameterOrJSON<never>[]);
				return { rows, rowCount: rows.count };
			}
		},
		close: async () => {
			await client.end({ timeout: 5 });
		}
	};
}
