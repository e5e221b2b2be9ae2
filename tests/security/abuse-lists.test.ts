// Abuse of the relay's lists of people: who counts as knowing whom (proof of work), who a mailing
// list reaches, and who may hold the operator's role addresses. Each test is the attack a stranger
// with an account makes against a real relay, and the safe outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayClient } from '../../src/lib/client/relay-client';
import { mintStamp } from '../../src/lib/client/stamp-mint';
import { stampMessage } from '../../src/lib/client/stamps';
import { sha256Hex, utcDay } from '../../src/lib/protocol/stamp';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, makeKey, register, signIn, type TestKey } from '../relay/support';

/** Few bits, so the tests that must pay a stamp stay fast; any bits make a stranger pay. */
const POW_BITS = 8;

describe.each(backends())('abuse of who knows whom (%s)', (backend) => {
	let relay: RunningRelay;
	const keys: Record<string, TestKey> = {};
	const tokens: Record<string, string> = {};
	const people = [
		'mallory@localhost',
		'vera@localhost',
		'olive@localhost',
		'sam@localhost',
		'tess@localhost'
	];
	const [MALLORY, VERA, OLIVE, SAM, TESS] = people as [string, string, string, string, string];

	beforeAll(async () => {
		relay = await startRelay({ backend, powBits: POW_BITS });
		for (const address of people) {
			keys[address] = await register(relay, address);
			tokens[address] = await signIn(relay, address, keys[address]!);
		}
	});
	afterAll(() => relay.stop());

	const send = (from: string, to: string[], message: string, stamps?: Record<string, string>) =>
		api(relay, 'POST', '/api/messages', {
			token: tokens[from],
			json: { to, message, ...(stamps ? { stamps } : {}) }
		});

	const stampFor = async (sender: string, recipient: string, message: string) =>
		mintStamp({
			bits: POW_BITS,
			day: utcDay(new Date()),
			sender,
			recipient,
			messageHash: await sha256Hex(message)
		});

	it('an imported letter "from" someone never lets either side skip proof of work', async () => {
		// Mallory imports a letter that claims Vera wrote to her, and Vera imports one that claims
		// to come from Mallory: neither is mail anyone sent through the relay.
		const fromVera = await api(relay, 'POST', `/api/mailboxes/${MALLORY}/imports`, {
			token: tokens[MALLORY],
			json: { from: VERA, message: await encryptFor([keys[MALLORY]!], 'Yes, write to me.') }
		});
		expect(fromVera.status).toBe(201);
		const fromMallory = await api(relay, 'POST', `/api/mailboxes/${VERA}/imports`, {
			token: tokens[VERA],
			json: { from: MALLORY, message: await encryptFor([keys[VERA]!], 'An old letter.') }
		});
		expect(fromMallory.status).toBe(201);

		const pow = await api(relay, 'GET', `/api/pow/${VERA}`, { token: tokens[MALLORY] });
		expect(pow.body.bits).toBe(POW_BITS);
		const unstamped = await send(MALLORY, [VERA], await encryptFor([keys[VERA]!], 'Buy now.'));
		expect(unstamped.status).toBe(403);
		expect(unstamped.body.error.kind).toBe('stamp-required');
		expect(unstamped.body.error.message).toContain(VERA);
	});

	it('a letter Vera really sent still makes its recipient known to her', async () => {
		const letter = await encryptFor([keys[MALLORY]!], 'Hello Mallory.');
		const sent = await send(VERA, [MALLORY], letter, {
			[MALLORY]: await stampFor(VERA, MALLORY, letter)
		});
		expect(sent.status).toBe(201);
		const reply = await send(MALLORY, [VERA], await encryptFor([keys[VERA]!], 'Hello Vera.'));
		expect(reply.status).toBe(201);
	});

	const putList = (owner: string, address: string, members: string[]) =>
		api(relay, 'PUT', `/api/lists/${address}`, { token: tokens[owner], json: { members } });
	const inboxOf = async (owner: string) =>
		(
			await api(relay, 'GET', `/api/mailboxes/${owner}/messages`, { token: tokens[owner] })
		).body.messages.map((entry: { id: string }) => entry.id);

	it('naming someone on a list delivers nothing to them until they accept', async () => {
		// Mallory puts Vera and Olive on her list; neither agreed to anything.
		expect((await putList(MALLORY, 'deals@localhost', [VERA, OLIVE])).status).toBe(201);
		const seen = await api(relay, 'GET', '/api/lists/deals@localhost', { token: tokens[SAM] });
		expect(seen.body.members).toEqual([]);
		const letter = await encryptFor([keys[VERA]!, keys[OLIVE]!], 'Deals for you.');
		const stamps = Object.fromEntries(
			await Promise.all(
				['deals@localhost', VERA, OLIVE].map(async (to) => [
					to,
					await stampFor(MALLORY, to, letter)
				])
			)
		);
		const before = [await inboxOf(VERA), await inboxOf(OLIVE)];
		const sent = await send(MALLORY, ['deals@localhost'], letter, stamps);
		expect(sent.status).toBe(422);
		expect(sent.body.error.kind).toBe('empty-list');
		expect([await inboxOf(VERA), await inboxOf(OLIVE)]).toEqual(before);

		// Olive declines; the owner sees who is still only invited, and who said no.
		expect(
			(
				await api(relay, 'PUT', '/api/lists/deals@localhost/membership', {
					token: tokens[OLIVE],
					json: { status: 'declined' }
				})
			).status
		).toBe(200);
		const owners = await api(relay, 'GET', '/api/lists/deals@localhost', {
			token: tokens[MALLORY]
		});
		expect(owners.body).toMatchObject({ members: [], invited: [VERA], declined: [OLIVE] });
		// Saving the list again invites nobody back.
		await putList(MALLORY, 'deals@localhost', [VERA, OLIVE]);
		const invitations = await api(relay, 'GET', '/api/memberships', { token: tokens[OLIVE] });
		expect(invitations.body.memberships).toEqual([
			{ list: 'deals@localhost', owner: MALLORY, status: 'declined' }
		]);
	});

	it('one stamp cannot fan out to list members who do not know the sender', async () => {
		// Olive's team: Sam and Tess joined. Tess has written to Mallory; Sam never has.
		expect((await putList(OLIVE, 'team@localhost', [SAM, TESS])).status).toBe(201);
		for (const member of [SAM, TESS]) {
			const accepted = await api(relay, 'PUT', '/api/lists/team@localhost/membership', {
				token: tokens[member],
				json: { status: 'accepted' }
			});
			expect(accepted.status).toBe(200);
		}
		const hello = await encryptFor([keys[MALLORY]!], 'Hi, Tess here.');
		expect(
			(await send(TESS, [MALLORY], hello, { [MALLORY]: await stampFor(TESS, MALLORY, hello) }))
				.status
		).toBe(201);

		const letter = await encryptFor([keys[SAM]!, keys[TESS]!], 'Hello, team.');
		const oneStamp = await send(MALLORY, ['team@localhost'], letter, {
			'team@localhost': await stampFor(MALLORY, 'team@localhost', letter)
		});
		expect(oneStamp.status).toBe(403);
		expect(oneStamp.body.error.kind).toBe('stamp-required');
		expect(oneStamp.body.error.message).toContain(SAM);
		expect(oneStamp.body.error.message).not.toContain(TESS);
		expect(await inboxOf(SAM)).toEqual([]);

		// The relay tells the sender which members need a stamp, and Letterlock makes one each.
		const pow = await api(relay, 'GET', '/api/pow/team@localhost', { token: tokens[MALLORY] });
		expect(pow.body).toEqual({
			address: 'team@localhost',
			bits: 0,
			members: [
				{ address: SAM, bits: POW_BITS },
				{ address: TESS, bits: 0 }
			]
		});
		const client = new RelayClient(relay.url, { token: tokens[MALLORY] });
		const prepared = { id: 'team-1', from: MALLORY, to: ['team@localhost'], message: letter };
		const stamps = await stampMessage(client, prepared);
		expect(Object.keys(stamps ?? {})).toEqual([SAM]);
		const paid = await client.send(prepared.to, letter, prepared.id, [], stamps);
		expect([...paid.recipients].sort()).toEqual([SAM, TESS]);
	});
});

describe.each(backends())('role addresses (%s)', (backend) => {
	let relay: RunningRelay;
	let operatorKey: TestKey;

	beforeAll(async () => {
		operatorKey = await makeKey('postmaster@localhost');
		relay = await startRelay({
			backend,
			operatorAddresses: new Map([['postmaster@localhost', operatorKey.fingerprint]])
		});
	});
	afterAll(() => relay.stop());

	const registerAs = async (address: string, key?: TestKey) =>
		api(relay, 'POST', '/api/accounts', {
			json: { address, publicKey: (key ?? (await makeKey(address))).publicKey }
		});

	it('refuses a stranger every role address, with a sentence saying why', async () => {
		for (const address of [
			'postmaster@localhost',
			'abuse@localhost',
			'Admin@localhost',
			'hostmaster@localhost',
			'mailer-daemon@localhost',
			'no-reply@localhost'
		]) {
			const answer = await registerAs(address);
			expect(answer.status).toBe(403);
			expect(answer.body.error.kind).toBe('reserved-address');
			expect(answer.body.error.message).toContain(address.toLowerCase());
		}
		expect((await registerAs('postmaster.fan@localhost')).status).toBe(201);
	});

	it('lets the operator claim a role address with the key they named, and no other', async () => {
		expect((await registerAs('postmaster@localhost')).status).toBe(403);
		const claimed = await registerAs('postmaster@localhost', operatorKey);
		expect(claimed.status).toBe(201);
		expect(claimed.body.fingerprint).toBe(operatorKey.fingerprint);
	});
});
