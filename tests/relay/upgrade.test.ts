// A data folder or PostgreSQL schema written by the relay before its two storage backends became
// one (main at d60ef14, tests/storage/upgrade/) opens in place: people sign in with the keys they
// had, read the letters they had, and new mail lands after the old.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { POSTGRES_TYPES, SQLITE_TYPES } from '../../src/lib/server/storage/dialect';
import { migrations } from '../../src/lib/server/storage/schema';
import { backends, startRelay, type Backend } from '../helpers/relay-server';
import { api, encryptFor, signIn, type TestKey } from './support';

const FIXTURE = new URL('../storage/upgrade/', import.meta.url).pathname;

interface Fixture {
	keys: Record<'alice' | 'bob', string>;
	letters: { id: string; from: string; to: string; message: string }[];
}

async function keyOf(armored: string): Promise<TestKey> {
	const privateKey = await openpgp.readPrivateKey({ armoredKey: armored });
	return {
		privateKey,
		publicKey: privateKey.toPublic().armor(),
		fingerprint: privateKey.getFingerprint().toUpperCase()
	};
}

/** The old data in a place of its own: a copy of the file, or the dump in a new schema. */
async function oldData(backend: Backend): Promise<{ dataDir?: string; schema?: string }> {
	if (backend === 'sqlite') {
		const dataDir = await mkdtemp(join(tmpdir(), 'letterlock-upgrade-'));
		await copyFile(join(FIXTURE, 'main-d60ef14.sqlite'), join(dataDir, 'letterlock.sqlite'));
		return { dataDir };
	}
	const schema = `test_${randomBytes(6).toString('hex')}`;
	const dump = (await readFile(join(FIXTURE, 'main-d60ef14.postgres.sql'), 'utf8'))
		// psql's own commands (\restrict) are not SQL.
		.replace(/^\\.*$/gm, '')
		.replaceAll('fixture_main', schema);
	const sql = postgres(process.env.LETTERLOCK_TEST_DATABASE_URL!, { onnotice: () => {} });
	try {
		await sql.unsafe(dump);
	} finally {
		await sql.end();
	}
	return { schema };
}

describe.each(backends())('a database made by main at d60ef14 (%s)', (backend) => {
	it('opens in place: its people sign in, read their letters and get new ones after them', async () => {
		const fixture = (
			JSON.parse(await readFile(join(FIXTURE, 'main-d60ef14.json'), 'utf8')) as Record<
				Backend,
				Fixture
			>
		)[backend];
		const relay = await startRelay({ backend, ...(await oldData(backend)) });
		try {
			const alice = await keyOf(fixture.keys.alice);
			const bob = await keyOf(fixture.keys.bob);
			const tokens = {
				'alice@localhost': await signIn(relay, 'alice@localhost', alice),
				'bob@localhost': await signIn(relay, 'bob@localhost', bob)
			} as Record<string, string>;
			for (const letter of fixture.letters) {
				const token = tokens[letter.to];
				const inbox = await api(relay, 'GET', `/api/mailboxes/${letter.to}/messages?folder=inbox`, {
					token
				});
				expect(inbox.body.messages.map((entry: { id: string }) => entry.id)).toEqual([letter.id]);
				const opened = await api(
					relay,
					'GET',
					`/api/mailboxes/${letter.to}/messages/${letter.id}`,
					{
						token
					}
				);
				expect(opened.body.message).toBe(letter.message);
				const sent = await api(relay, 'GET', `/api/mailboxes/${letter.from}/messages?folder=sent`, {
					token: tokens[letter.from]
				});
				expect(sent.body.messages.map((entry: { id: string }) => entry.id)).toEqual([letter.id]);
			}
			// The quota's running count (step 13) starts from the rows already there: each letter
			// in an account's folders once, plus its state log and backup.
			const held = async (owner: string) => {
				const filed = new Map<string, number>();
				for (const folder of ['inbox', 'sent'] as const) {
					for (const entry of await relay.storage.listMailbox(owner, folder, 0, 100)) {
						filed.set(entry.messageId, entry.size);
					}
				}
				return [...filed.values()].reduce((sum, size) => sum + size, 0);
			};
			expect(await relay.storage.storedBytes('bob@localhost', new Date().toISOString())).toBe(
				await held('bob@localhost')
			);
			expect(await relay.storage.storedBytes('alice@localhost', new Date().toISOString())).toBe(
				(await held('alice@localhost')) + 'sealed-state-entry'.length + 'sealed-backup'.length
			);

			const later = await api(relay, 'POST', '/api/messages', {
				json: { to: ['bob@localhost'], message: await encryptFor([bob], 'after the upgrade') },
				token: tokens['alice@localhost']
			});
			expect(later.status).toBe(201);
			const inbox = await api(relay, 'GET', '/api/mailboxes/bob@localhost/messages?folder=inbox', {
				token: tokens['bob@localhost']
			});
			const old = fixture.letters.find((letter) => letter.to === 'bob@localhost')!;
			expect(inbox.body.messages.map((entry: { id: string }) => entry.id)).toEqual([
				old.id,
				later.body.id
			]);
			expect(await relay.storage.listState('alice@localhost', 0, 10)).toMatchObject([
				{ seq: 1, entry: 'sealed-state-entry' }
			]);
			expect((await relay.storage.backups.getRecovery('alice@localhost'))?.backup).toBe(
				'sealed-backup'
			);
		} finally {
			await relay.stop();
		}
	});
});

/** Tables, columns, types, defaults and indexes, as the database itself describes them. */
async function layout(backend: Backend, place: { dataDir: string; schema?: string }) {
	if (backend === 'sqlite') {
		const db = new Database(join(place.dataDir, 'letterlock.sqlite'), { readonly: true });
		try {
			return {
				version: db.pragma('user_version', { simple: true }),
				objects: (
					db
						.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
						.pluck()
						.all() as string[]
				)
					.flatMap((table) => [
						...(db.pragma(`table_info(${table})`) as object[]).map((column) => ({ table, column })),
						...(db.pragma(`index_list(${table})`) as object[]).map((index) => ({ table, index }))
					])
					.map((row) => JSON.stringify(row))
					.sort()
			};
		} finally {
			db.close();
		}
	}
	const sql = postgres(process.env.LETTERLOCK_TEST_DATABASE_URL!, { onnotice: () => {} });
	try {
		const columns = await sql`
			SELECT table_name, column_name, data_type, is_nullable, column_default
			FROM information_schema.columns WHERE table_schema = ${place.schema!}`;
		const indexes = await sql`
			SELECT indexname, replace(indexdef, ${place.schema! + '.'}, '') AS indexdef
			FROM pg_indexes WHERE schemaname = ${place.schema!}`;
		const [version] = await sql.unsafe(`SELECT version FROM "${place.schema!}".schema_version`);
		return {
			version: version!.version as number,
			objects: [...columns, ...indexes].map((row) => JSON.stringify(row)).sort()
		};
	} finally {
		await sql.end();
	}
}

describe.each(backends())('an upgraded database (%s)', (backend) => {
	it('has the same tables, columns and indexes as a new one, at the newest version', async () => {
		const upgraded = await startRelay({ backend, ...(await oldData(backend)) });
		const fresh = await startRelay({ backend });
		await upgraded.stop({ keep: true });
		await fresh.stop({ keep: true });
		try {
			const expected = await layout(backend, fresh);
			expect(expected.version).toBe(
				migrations(backend === 'sqlite' ? SQLITE_TYPES : POSTGRES_TYPES).length
			);
			expect(await layout(backend, upgraded)).toEqual(expected);
		} finally {
			for (const relay of [upgraded, fresh]) {
				await rm(relay.dataDir, { recursive: true, force: true });
				if (relay.schema) await dropSchema(relay.schema);
			}
		}
	});
});

async function dropSchema(schema: string): Promise<void> {
	const sql = postgres(process.env.LETTERLOCK_TEST_DATABASE_URL!, { onnotice: () => {} });
	await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
	await sql.end();
}
