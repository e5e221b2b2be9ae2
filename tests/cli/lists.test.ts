// A mailing list from the command line: the owner keeps team@ on the relay and invites members,
// who accept with `letterlock lists accept`; a message someone sends to it is encrypted once to
// every member's key, filed in each member's inbox, and each of them can read it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RelayClient } from '../../src/lib/client/relay-client';
import { cliWorld, ok, type CliUser, type CliWorld } from './run-cli';

let world: CliWorld;
let owner: CliUser;
let members: CliUser[];
let sender: CliUser;
const LIST = 'team@localhost';

beforeAll(async () => {
	world = await cliWorld(['olive@localhost', 'mia@localhost', 'max@localhost', 'sam@localhost']);
	const [olive, mia, max, sam] = world.users as [CliUser, CliUser, CliUser, CliUser];
	[owner, members, sender] = [olive, [mia, max], sam];
});
afterAll(() => world?.stop());

it('a message to a list reaches every member who accepted, and each can read it', async () => {
	const { token } = JSON.parse(readFileSync(join(owner.home, 'session.json'), 'utf8'));
	const relay = new RelayClient(world.relay.url, { token });
	await relay.putList(
		LIST,
		members.map((member) => member.address)
	);
	for (const member of members) {
		const invited = JSON.parse(ok(await member.run(['lists', '--json'])));
		expect(invited).toEqual([{ list: LIST, owner: owner.address, status: 'invited' }]);
		expect(ok(await member.run(['lists', 'accept', LIST]))).toContain(
			`Mail to ${LIST} now reaches your inbox.`
		);
		expect(ok(await member.run(['lists']))).toMatch(/team@localhost +accepted +by olive@localhost/);
	}

	const subject = 'Standup moves to ten';
	const sent = await sender.run(['send', '--to', LIST, '--subject', subject, '--body', 'See you.']);
	const id = ok(sent).trim();
	const stored = await relay.getList(LIST);
	expect(stored?.members).toEqual(['max@localhost', 'mia@localhost']);

	const ciphertexts = new Set<string>();
	for (const member of members) {
		// Sam is a stranger to them: they look his key up to check his signature.
		const mail = JSON.parse(ok(await member.run(['read', id, '--look-up', '--json'])));
		expect(mail).toMatchObject({ from: sender.address, subject, body: 'See you.' });
		expect(mail.signature).toBe('valid');
		expect(mail.to.map((entry: { address: string }) => entry.address)).toEqual([LIST]);
		ciphertexts.add(ok(await member.run(['raw', id])));
	}
	// One ciphertext for everyone.
	expect(ciphertexts.size).toBe(1);
	// The owner is not a member, so the list's mail is not theirs to read.
	expect((await owner.run(['read', id])).code).not.toBe(0);
});
