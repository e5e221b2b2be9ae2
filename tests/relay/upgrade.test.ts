// A data folder or PostgreSQL schema written by the relay before its two storage backends became
// one (main at d60ef14, tests/storage/upgrade/) opens in place: people sign in with the keys they
// had, read the letters they had, and new mail lands after the old.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { SQLITE_TYPES } from '../../src/lib/server/storage/dialect';
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

describe('an upgraded SQLite file', () => {
	it('has the same tables and version as a new one', async () => {
		const tables = (file: string) => {
			const db = new Database(file, { readonly: true });
			try {
				return {
					version: db.pragma('user_version', { simple: true }),
					tables: db
						.prepare(
							"SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name"
						)
						.pluck()
						.all()
				};
			} finally {
				db.close();
			}
		};
		const upgraded = await startRelay({ backend: 'sqlite', ...(await oldData('sqlite')) });
		const fresh = await startRelay({ backend: 'sqlite' });
		await upgraded.stop({ keep: true });
		await fresh.stop({ keep: true });
		const expected = tables(join(fresh.dataDir, 'letterlock.sqlite'));
		expect(expected.version).toBe(migrations(SQLITE_TYPES).length);
		expect(tables(join(upgraded.dataDir, 'letterlock.sqlite'))).toEqual(expected);
	});
});
