// Made the upgrade fixture once, with the relay of main at d60ef14 (the last commit with two
// storage backends): two accounts, a letter each way, a mail-state entry and a recovery backup,
// written through the relay API and storage as that version wrote them. The SQLite file and a
// PostgreSQL dump (`pg_dump --inserts`) of its schema are committed beside this script, so the
// test does not depend on old code. Run: `npx tsx tests/storage/upgrade/make-fixture.ts`.
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRelay, type Backend } from '../../helpers/relay-server';
import { api, encryptFor, register, signIn } from '../../relay/support';

const here = new URL('.', import.meta.url).pathname;
const url = process.env.LETTERLOCK_TEST_DATABASE_URL;
if (!url) throw new Error('Set LETTERLOCK_TEST_DATABASE_URL.');

async function make(backend: Backend) {
	const relay = await startRelay({
		backend,
		schema: backend === 'postgres' ? 'fixture_main' : undefined
	});
	const alice = await register(relay, 'alice@localhost');
	const bob = await register(relay, 'bob@localhost');
	const aliceToken = await signIn(relay, 'alice@localhost', alice);
	const bobToken = await signIn(relay, 'bob@localhost', bob);
	const letters = [];
	for (const [from, token, to, key, text] of [
		['alice@localhost', aliceToken, 'bob@localhost', bob, 'Hello Bob, from the old relay.'],
		['bob@localhost', bobToken, 'alice@localhost', alice, 'Hello Alice, from the old relay.']
	] as const) {
		const message = await encryptFor([key], text);
		const sent = await api(relay, 'POST', '/api/messages', { json: { to: [to], message }, token });
		if (sent.status !== 201) throw new Error(JSON.stringify(sent.body));
		letters.push({ id: sent.body.id as string, from, to, message });
	}
	await relay.storage.appendState(
		'alice@localhost',
		'sealed-state-entry',
		new Date().toISOString()
	);
	await relay.storage.backups.putRecovery({
		address: 'alice@localhost',
		lookupHash: 'ab'.repeat(32),
		backup: 'sealed-backup',
		updatedAt: new Date().toISOString()
	});
	await relay.stop({ keep: true });
	if (backend === 'sqlite') {
		copyFileSync(join(relay.dataDir, 'letterlock.sqlite'), join(here, 'main-d60ef14.sqlite'));
	} else {
		const dump = execFileSync('pg_dump', [
			'--inserts',
			'--no-owner',
			'--no-privileges',
			'--schema=fixture_main',
			url!
		]);
		writeFileSync(join(here, 'main-d60ef14.postgres.sql'), dump);
		execFileSync('psql', [url!, '-c', 'DROP SCHEMA fixture_main CASCADE']);
	}
	return {
		keys: { alice: alice.privateKey.armor(), bob: bob.privateKey.armor() },
		letters
	};
}

writeFileSync(
	join(here, 'main-d60ef14.json'),
	JSON.stringify({ sqlite: await make('sqlite'), postgres: await make('postgres') }, null, '\t') +
		'\n'
);
