// Hidden recipients: the relay says who a mailing list reaches, and a letter to a list is
// encrypted to every member. A hostile relay must not be able to add a reader, neither by
// passing off a contact as a "list" with itself as member, nor by slipping a member into a
// real list between two letters; and the sender sees a list's members before anything goes.
import { rmSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailer, MailerError } from '../../src/lib/client/mailer';
import { RelayClient } from '../../src/lib/client/relay-client';
import { startHostileRelay } from '../helpers/hostile-relay';
import { signedInAccount } from '../helpers/letter-writer';
import { backends } from '../helpers/relay-server';
import { cliUser, ok, tempRoot } from '../cli/run-cli';

interface Person {
	address: string;
	fingerprint: string;
	/** Key IDs of the key and its subkeys, as a ciphertext names its recipients. */
	keyIds: string[];
	mailer: Mailer;
	client: RelayClient;
}

/** Key IDs a ciphertext is encrypted to. */
async function recipientKeyIds(armoredMessage: string): Promise<string[]> {
	const message = await openpgp.readMessage({ armoredMessage });
	return message.getEncryptionKeyIDs().map((id) => id.toHex().toUpperCase());
}

describe.each(backends())('hidden recipients (%s)', (backend) => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	const people = new Map<string, Person>();
	const person = (address: string) => people.get(address)!;

	/** An account on the relay, its client talking through the hostile proxy. */
	async function join(address: string): Promise<Person> {
		const { engine, identity, client } = await signedInAccount(setup.hostile.url, address);
		const key = await openpgp.readKey({ armoredKey: identity.publicKey });
		const joined = {
			address,
			fingerprint: identity.fingerprint,
			keyIds: key.getKeyIDs().map((id) => id.toHex().toUpperCase()),
			mailer: new Mailer(client, engine, identity),
			client
		};
		people.set(address, joined);
		return joined;
	}

	/** The ciphertexts the sender handed the relay since `mark`. */
	function sentSince(mark: number): string[] {
		return setup.hostile
			.since(mark)
			.filter((request) => request.method === 'POST' && request.path === '/api/messages')
			.map((request) => (JSON.parse(request.body) as { message: string }).message);
	}

	/** The hostile relay adds `member` to the real list team@localhost; returns the withdrawal. */
	function slipIn(member: string): () => void {
		return setup.hostile.lie({
			method: 'GET',
			path: '/api/lists/team@localhost',
			honest: true,
			answer: (_request, honest) => {
				const list = honest!.json as { members: string[] };
				return { json: { ...list, members: [...list.members, member] } };
			}
		});
	}

	beforeAll(async () => {
		setup = await startHostileRelay({ backend });
		for (const address of [
			'sam@localhost',
			'bob@localhost',
			'mallory@localhost',
			'olive@localhost',
			'mia@localhost',
			'max@localhost'
		]) {
			await join(address);
		}
		await person('olive@localhost').client.putList('team@localhost', [
			'mia@localhost',
			'max@localhost'
		]);
		// Naming someone on a list only invites them; mail reaches those who accept.
		for (const member of ['mia@localhost', 'max@localhost']) {
			await person(member).client.answerList('team@localhost', 'accepted');
		}
	}, 60_000);
	afterAll(async () => {
		await setup?.stop();
		for (const root of roots) rmSync(root, { recursive: true, force: true });
	});
	const roots: string[] = [];

	it('never treats a contact as a list: a "missing" key with an attacker "member" sends nothing', async () => {
		const { mailer } = person('sam@localhost');
		const bob = person('bob@localhost');
		const mallory = person('mallory@localhost');
		// Sam wrote to Bob before: Bob's key is pinned on Sam's device.
		await mailer.send({ to: [bob.address], subject: 'Hello', body: 'First letter.' });

		const withdraw = [
			setup.hostile.lie({
				method: 'GET',
				path: `/api/keys/${bob.address}`,
				answer: () => ({
					status: 404,
					json: { error: { kind: 'not-found', message: 'No such key.' } }
				})
			}),
			setup.hostile.lie({
				method: 'GET',
				path: `/api/lists/${bob.address}`,
				answer: () => ({
					json: { address: bob.address, owner: mallory.address, members: [mallory.address] }
				})
			})
		];
		const mark = setup.hostile.requests.length;
		const refused = await mailer
			.send({ to: [bob.address], subject: 'Secret', body: 'For Bob only.' })
			.catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(MailerError);
		expect((refused as MailerError).kind).toBe('key-missing');
		expect((refused as MailerError).addresses).toEqual([bob.address]);
		expect(sentSince(mark)).toEqual([]);

		// Choosing to keep writing to the key kept for Bob encrypts to Bob alone, never Mallory.
		await mailer.send({
			to: [bob.address],
			subject: 'Secret',
			body: 'For Bob only.',
			keepPinned: [bob.address]
		});
		withdraw.forEach((undo) => undo());
		const [ciphertext] = sentSince(mark);
		const ids = await recipientKeyIds(ciphertext!);
		expect(ids.some((id) => bob.keyIds.includes(id))).toBe(true);
		expect(ids.some((id) => mallory.keyIds.includes(id))).toBe(false);
	});

	it('shows a list’s members with their keys before anything is sent', async () => {
		const { mailer } = person('sam@localhost');
		const mark = setup.hostile.requests.length;
		const resolution = await mailer.resolveEnvelope(['team@localhost']);
		if (resolution.kind !== 'ready') throw new Error(`not ready: ${resolution.kind}`);
		const { envelope, lists } = resolution;
		expect(envelope).toEqual(['team@localhost']);
		expect(lists).toHaveLength(1);
		expect(
			lists[0]!.members.map(({ address, fingerprint, trust }) => ({ address, fingerprint, trust }))
		).toEqual([
			{
				address: 'max@localhost',
				fingerprint: person('max@localhost').fingerprint,
				trust: 'unverified'
			},
			{
				address: 'mia@localhost',
				fingerprint: person('mia@localhost').fingerprint,
				trust: 'unverified'
			}
		]);
		expect(sentSince(mark)).toEqual([]);
	});

	it('blocks the next letter when the relay slips a member into a list, naming them', async () => {
		const { mailer } = person('sam@localhost');
		const mallory = person('mallory@localhost');
		await mailer.send({ to: ['team@localhost'], subject: 'Standup', body: 'At ten.' });

		const withdraw = slipIn(mallory.address);
		const mark = setup.hostile.requests.length;
		const refused = await mailer
			.send({ to: ['team@localhost'], subject: 'Standup', body: 'Moved to eleven.' })
			.catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(MailerError);
		const { problem, message } = refused as MailerError;
		expect(problem.kind).toBe('list-changed');
		const expected = [
			{
				address: 'team@localhost',
				added: [mallory.address],
				removed: [],
				members: ['mallory@localhost', 'max@localhost', 'mia@localhost']
			}
		];
		expect(problem).toEqual({
			kind: 'list-changed',
			addresses: ['team@localhost'],
			changes: expected
		});
		expect(message).toContain(mallory.address);
		expect(sentSince(mark)).toEqual([]);
		// Asking again is no way around it: the change stays until the sender accepts it.
		expect(await mailer.resolveEnvelope(['team@localhost'])).toEqual(problem);
		// Mallory's key was not pinned behind the sender's back either.
		expect(await mailer.contacts.get(mallory.address)).toBeUndefined();
		withdraw();
	});

	it('the command line shows a list’s members and refuses a changed list unless told', async () => {
		const root = await tempRoot();
		roots.push(root);
		const sid = cliUser(setup.hostile.url, root, 'sid@localhost');
		ok(await sid.run(['init', '--address', sid.address, '--name', 'Sid']));
		const letter = ['send', '--to', 'team@localhost', '--subject', 'Hi', '--body', 'All of you.'];

		const first = await sid.run(letter);
		ok(first);
		expect(first.stderr).toContain('team@localhost is a mailing list');
		for (const member of ['max@localhost', 'mia@localhost']) {
			const { fingerprint } = person(member);
			expect(first.stderr).toMatch(new RegExp(`${member}\\s+key ${fingerprint.slice(0, 4)} `));
		}
		const withdraw = slipIn('mallory@localhost');
		const mark = setup.hostile.requests.length;
		const refused = await sid.run(letter);
		expect(refused.code).not.toBe(0);
		expect(refused.stderr).toContain('mallory@localhost');
		expect(refused.stderr).toContain('--accept-list-change team@localhost');
		expect(sentSince(mark)).toEqual([]);

		const accepted = await sid.run([...letter, '--accept-list-change', 'team@localhost']);
		ok(accepted);
		expect(accepted.stderr).toMatch(/mallory@localhost\s+key /);
		expect(sentSince(mark)).toHaveLength(1);
		withdraw();
	});
});
