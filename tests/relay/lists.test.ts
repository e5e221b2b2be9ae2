// Mailing lists: the owner keeps an address whose mail the relay files into every member's inbox,
// without reading it; anyone signed in can ask who the members are, so as to encrypt to them.
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
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

	it('lets the owner create and change a list, and anyone signed in read its members', async () => {
		const created = await putList(tokens[OWNER], LIST, [MEMBERS[0]!]);
		expect(created.status).toBe(201);
		expect(created.body).toEqual({ address: LIST, owner: OWNER, members: [MEMBERS[0]] });
		const changed = await putList(tokens[OWNER], LIST, [...MEMBERS, MEMBERS[0]!]);
		expect(changed.status).toBe(200);
		expect(changed.body.members).toEqual([...MEMBERS].sort());

		const read = await api(relay, 'GET', `/api/lists/${LIST}`, { token: tokens[OUTSIDER] });
		expect(read.status).toBe(200);
		expect(read.body.members).toEqual([...MEMBERS].sort());
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
			[putList(undefined, 'crew@localhost', [OWNER]), 401]
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
