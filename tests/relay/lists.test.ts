// Mailing lists: the owner keeps an address whose mail the relay files into the inbox of every
// member who accepted, without reading it; anyone signed in can ask who those members are, so as
// to encrypt to them.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TYPES, SQLITE_TYPES } from '../../src/lib/server/storage/dialect';
import { LIST_CONSENT, migrations } from '../../src/lib/server/storage/schema';
import { backends, startRelay, type Backend, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, makeKey, register, signIn, type TestKey } from './support';

const OWNER = 'olive@localhost';
const MEMBERS = ['mia@localhost', 'max@localhost'];
const OUTSIDER = 'otto@localhost';
const LIST = 'team@localhost';

describe.each(backends())('mailing lists (%s)', (backend) => {
	let relay: RunningRelay;
	const keys: Record<string, TestKey> = {};
	const tokens: Record<string, string> = {};

	beforeAll(async () => {
		relay = await startRelay({ backend });
		for (const address of [OWNER, ...MEMBERS, OUTSIDER]) {
			keys[address] = await register(relay, address);
			tokens[address] = await signIn(relay, address, keys[address]!);
		}
	});
	afterAll(() => relay.stop());

	const putList = (token: string | undefined, address: string, members: string[]) =>
		api(relay, 'PUT', `/api/lists/${address}`, { token, json: { members } });
	const answer = (member: string, status: string, list = LIST) =>
		api(relay, 'PUT', `/api/lists/${list}/membership`, {
			token: tokens[member],
			json: { status }
		});

	it('lets the owner invite members, who receive its mail once they accept', async () => {
		const created = await putList(tokens[OWNER], LIST, [MEMBERS[0]!]);
		expect(created.status).toBe(201);
		expect(created.body).toEqual({
			address: LIST,
			owner: OWNER,
			members: [],
			invited: [MEMBERS[0]],
			declined: []
		});
		const changed = await putList(tokens[OWNER], LIST, [...MEMBERS, MEMBERS[0]!]);
		expect(changed.status).toBe(200);
		expect(changed.body.invited).toEqual([...MEMBERS].sort());
		// Who has not answered is the owner's business alone.
		const early = await api(relay, 'GET', `/api/lists/${LIST}`, { token: tokens[OUTSIDER] });
		expect(early.body).toEqual({ address: LIST, owner: OWNER, members: [] });

		for (const member of MEMBERS) {
			const accepted = await answer(member, 'accepted');
			expect(accepted.status).toBe(200);
			expect(accepted.body).toEqual({ list: LIST, owner: OWNER, status: 'accepted' });
		}
		const read = await api(relay, 'GET', `/api/lists/${LIST}`, { token: tokens[OUTSIDER] });
		expect(read.status).toBe(200);
		expect(read.body.members).toEqual([...MEMBERS].sort());
		// Saving the list again keeps everyone's answer.
		const saved = await putList(tokens[OWNER], LIST, MEMBERS);
		expect(saved.body).toMatchObject({ members: [...MEMBERS].sort(), invited: [] });
		expect((await api(relay, 'GET', `/api/lists/${LIST}`)).status).toBe(401);
		expect(
			(await api(relay, 'GET', `/api/lists/nobody@localhost`, { token: tokens[OUTSIDER] })).status
		).toBe(404);
	});

	it('refuses others, people’s addresses, unknown members and other domains', async () => {
		const cases: [Promise<{ status: number; body: { error: { message: string } } }>, number][] = [
			[putList(tokens[OUTSIDER], LIST, [OUTSIDER]), 403],
			[api(relay, 'DELETE', `/api/lists/${LIST}`, { token: tokens[OUTSIDER] }), 403],
			[putList(tokens[OWNER], MEMBERS[0]!, [OWNER]), 409],
			[putList(tokens[OWNER], 'crew@localhost', ['ghost@localhost']), 422],
			[putList(tokens[OWNER], 'crew@elsewhere.example', [OWNER]), 422],
			[putList(tokens[OWNER], 'crew@localhost', []), 400],
			[putList(undefined, 'crew@localhost', [OWNER]), 401],
			[putList(tokens[OWNER], 'abuse@localhost', [OWNER]), 403],
			[answer(OUTSIDER, 'accepted'), 404],
			[answer(MEMBERS[0]!, 'maybe'), 400],
			[answer(MEMBERS[0]!, 'accepted', 'nolist@localhost'), 404],
			[api(relay, 'GET', '/api/memberships'), 401]
		];
		for (const [answer, status] of cases) {
			const { status: got, body } = await answer;
			expect(got).toBe(status);
			expect(body.error.message).toMatch(/\w+ \w+/);
		}
		const members = await api(relay, 'GET', `/api/lists/${LIST}`, { token: tokens[OWNER] });
		expect(members.body.members).toEqual([...MEMBERS].sort());
		// Nobody can register an account that takes over a list's address.
		const squatter = await makeKey(LIST);
		const taken = await api(relay, 'POST', '/api/accounts', {
			json: { address: LIST, publicKey: squatter.publicKey }
		});
		expect(taken.status).toBe(409);
	});

	it('files one ciphertext into every member’s inbox, and each member can read it', async () => {
		const { body: list } = await api(relay, 'GET', `/api/lists/${LIST}`, {
			token: tokens[OUTSIDER]
		});
		const memberKeys = list.members.map((member: string) => keys[member]!);
		const message = await encryptFor([...memberKeys, keys[OUTSIDER]!], 'Hello, team.');
		const sent = await api(relay, 'POST', '/api/messages', {
			token: tokens[OUTSIDER],
			json: { to: [LIST], message }
		});
		expect(sent.status).toBe(201);
		expect([...sent.body.recipients].sort()).toEqual([...MEMBERS].sort());

		for (const member of MEMBERS) {
			const stored = await api(relay, 'GET', `/api/mailboxes/${member}/messages/${sent.body.id}`, {
				token: tokens[member]
			});
			expect(stored.status).toBe(200);
			expect(stored.body.message).toBe(message);
			const { data } = await openpgp.decrypt({
				message: await openpgp.readMessage({ armoredMessage: stored.body.message }),
				decryptionKeys: keys[member]!.privateKey
			});
			expect(data).toBe('Hello, team.');
		}
		const owners = await api(relay, 'GET', `/api/mailboxes/${OWNER}/messages`, {
			token: tokens[OWNER]
		});
		expect(owners.body.messages).toEqual([]);
	});

	it('shows each member their lists, and a member who declines gets no more mail', async () => {
		const [mia, max] = MEMBERS as [string, string];
		const mine = await api(relay, 'GET', '/api/memberships', { token: tokens[mia] });
		expect(mine.body).toEqual({ memberships: [{ list: LIST, owner: OWNER, status: 'accepted' }] });
		expect((await answer(mia, 'declined')).status).toBe(200);
		const owners = await api(relay, 'GET', `/api/lists/${LIST}`, { token: tokens[OWNER] });
		expect(owners.body).toMatchObject({ members: [max], invited: [], declined: [mia] });

		const message = await encryptFor([keys[max]!], 'Only Max now.');
		const sent = await api(relay, 'POST', '/api/messages', {
			token: tokens[OUTSIDER],
			json: { to: [LIST], message }
		});
		expect(sent.body.recipients).toEqual([max]);
		const inbox = await api(relay, 'GET', `/api/mailboxes/${mia}/messages`, { token: tokens[mia] });
		expect(inbox.body.messages.map((m: { id: string }) => m.id)).not.toContain(sent.body.id);

		// A list nobody accepted reaches no one, and says so.
		expect((await answer(max, 'declined')).status).toBe(200);
		const empty = await api(relay, 'POST', '/api/messages', {
			token: tokens[OUTSIDER],
			json: { to: [LIST], message }
		});
		expect(empty.status).toBe(422);
		expect(empty.body.error.kind).toBe('empty-list');
	});

	it('lets the owner delete the list, after which mail to it is refused', async () => {
		expect(
			(await api(relay, 'DELETE', `/api/lists/${LIST}`, { token: tokens[OWNER] })).status
		).toBe(204);
		const refused = await api(relay, 'POST', '/api/messages', {
			token: tokens[OUTSIDER],
			json: { to: [LIST], message: await encryptFor([keys[OUTSIDER]!], 'anyone?') }
		});
		expect(refused.status).toBe(422);
		expect(refused.body.error.kind).toBe('unknown-recipient');
	});
});

/** Lists and members as a relay from before consent stored them: the migrations up to it. */
const OLD_LIST_ROWS = `INSERT INTO lists VALUES ('club@localhost', '${OWNER}', '2026-01-01');
	INSERT INTO list_members VALUES ${[OWNER, ...MEMBERS].map((member) => `('club@localhost', '${member}')`).join(', ')};`;

async function seedOldRelay(backend: Backend): Promise<{ dataDir?: string; schema?: string }> {
	if (backend === 'sqlite') {
		const dataDir = await mkdtemp(join(tmpdir(), 'letterlock-lists-'));
		const before = new Database(join(dataDir, 'letterlock.sqlite'));
		const all = migrations(SQLITE_TYPES);
		const steps = all.slice(0, all.indexOf(LIST_CONSENT));
		for (const step of steps) before.exec(step);
		before.exec(OLD_LIST_ROWS);
		before.pragma(`user_version = ${steps.length}`);
		before.close();
		return { dataDir };
	}
	const schema = `test_${randomBytes(6).toString('hex')}`;
	const sql = postgres(process.env.LETTERLOCK_TEST_DATABASE_URL!, {
		onnotice: () => {},
		connection: { search_path: schema }
	});
	const all = migrations(POSTGRES_TYPES);
	const steps = all.slice(0, all.indexOf(LIST_CONSENT));
	await sql.unsafe(`CREATE SCHEMA "${schema}"`);
	await sql.unsafe('CREATE TABLE schema_version (version INTEGER NOT NULL)');
	for (const step of steps) await sql.unsafe(step);
	await sql.unsafe(OLD_LIST_ROWS);
	await sql.unsafe(`INSERT INTO schema_version VALUES (${steps.length})`);
	await sql.end();
	return { schema };
}

describe.each(backends())('lists from before members were asked (%s)', (backend) => {
	it('keep the owner on their own list and invite everyone else', async () => {
		const relay = await startRelay({ backend, ...(await seedOldRelay(backend)) });
		try {
			expect(await relay.storage.getList('club@localhost')).toEqual({
				address: 'club@localhost',
				owner: OWNER,
				members: [
					{ address: MEMBERS[1], status: 'invited' },
					{ address: MEMBERS[0], status: 'invited' },
					{ address: OWNER, status: 'accepted' }
				]
			});
		} finally {
			await relay.stop();
		}
	});
});
