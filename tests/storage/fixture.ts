// Fresh storage for the contract suite: a new SQLite data folder or a new PostgreSQL schema per
// suite, opened directly (no relay, no HTTP), and deleted afterwards. Races run in contenders:
// child processes that open the same folder or schema, as a second relay process would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import postgres from 'postgres';
import { openPostgresStorage, openSqliteStorage } from '../../src/lib/server/storage/open';
import type { Storage } from '../../src/lib/server/storage/types';
import type { Backend } from '../helpers/relay-server';

export { backends } from '../helpers/relay-server';

/** Where a suite's data lives: enough for another process to open the same storage. */
export interface Location {
	backend: Backend;
	/** The SQLite data folder, or the PostgreSQL URL. */
	place: string;
	schema?: string;
}

export interface FreshStorage {
	storage: Storage;
	location: Location;
	/** Closes the storage and deletes its folder or schema. */
	drop(): Promise<void>;
}

function databaseUrl(): string {
	const url = process.env.LETTERLOCK_TEST_DATABASE_URL;
	if (!url) throw new Error('Set LETTERLOCK_TEST_DATABASE_URL to test storage on PostgreSQL.');
	return url;
}

export function openAt(location: Location): Promise<Storage> {
	return location.backend === 'postgres'
		? openPostgresStorage(location.place, { schema: location.schema })
		: openSqliteStorage(location.place);
}

/** A new, empty place for a suite's data; nothing is created in it until storage opens it. */
export async function freshLocation(backend: Backend): Promise<Location> {
	return backend === 'postgres'
		? { backend, place: databaseUrl(), schema: `storage_${randomBytes(6).toString('hex')}` }
		: { backend, place: await mkdtemp(join(tmpdir(), 'letterlock-storage-')) };
}

/** Deletes the folder or schema; the storage on it must be closed. */
export async function dropLocation(location: Location): Promise<void> {
	if (location.backend === 'sqlite') {
		await rm(location.place, { recursive: true, force: true });
		return;
	}
	const sql = postgres(location.place, { onnotice: () => {} });
	await sql.unsafe(`DROP SCHEMA IF EXISTS "${location.schema}" CASCADE`);
	await sql.end();
}

export async function freshStorage(backend: Backend): Promise<FreshStorage> {
	const location = await freshLocation(backend);
	const storage = await openAt(location);
	return {
		storage,
		location,
		async drop() {
			await storage.close();
			await dropLocation(location);
		}
	};
}

/** One call's outcome in a contender: its value, or the error it threw. */
export type Outcome<T = unknown> = { value: T } | { error: string };

/** A storage method by name; `backups.x` names a method of the backup store. */
export type MethodName = keyof Storage | `backups.${string}`;

/** Another relay process on the same storage, taking calls over stdin and answering on stdout. */
export interface Contender {
	run<T>(method: MethodName, calls: unknown[][]): Promise<Outcome<T>[]>;
	stop(): Promise<void>;
}

const CONTENDER = new URL('./contender.ts', import.meta.url).pathname;

export async function startContender(location: Location): Promise<Contender> {
	const child: ChildProcessWithoutNullStreams = spawn(
		process.execPath,
		['--import', 'tsx', CONTENDER, JSON.stringify(location)],
		{ stdio: 'pipe' }
	);
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const lines: Interface = createInterface({ input: child.stdout });
	const iterator = lines[Symbol.asyncIterator]();
	const next = async (): Promise<string> => {
		const { value, done } = await iterator.next();
		if (done) throw new Error(`The contender stopped: ${stderr}`);
		return value as string;
	};
	const ready = await next();
	if (ready !== 'ready') throw new Error(`The contender did not start: ${ready} ${stderr}`);
	return {
		async run<T>(method: MethodName, calls: unknown[][]) {
			child.stdin.write(`${JSON.stringify({ method, calls })}\n`);
			return JSON.parse(await next()) as Outcome<T>[];
		},
		async stop() {
			child.stdin.end();
			await new Promise((resolve) => child.once('exit', resolve));
		}
	};
}
