// Proof of work from the command line: a relay that asks strangers for stamps still takes the
// CLI's first letter (it computes the stamp), and verifying a contact lets them write stamp-free.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowListHash } from '../../src/lib/protocol/stamp';
import type { RunningRelay } from '../helpers/relay-server';
import { cliWorld, ok, type CliUser, type CliWorld } from './run-cli';

let world: CliWorld;
let relay: RunningRelay;
let alice: CliUser;
let bob: CliUser;
let carol: CliUser;

beforeAll(async () => {
	world = await cliWorld(['alice@localhost', 'bob@localhost', 'carol@localhost'], {
		init: true,
		powBits: 10
	});
	({ relay } = world);
	[alice, bob, carol] = world.users as [CliUser, CliUser, CliUser];
});

afterAll(async () => {
	await world?.stop();
});

const inbox = async (user: CliUser) =>
	JSON.parse(ok(await user.run(['list', '--json']))) as { id: string; from: string }[];

describe('letterlock CLI with proof of work', () => {
	it('sends to a stranger: the stamp is computed and the letter arrives', async () => {
		expect(await relay.storage.knowsSender('bob@localhost', 'alice@localhost', '')).toBe(false);
		const result = await alice.run([
			'send',
			'--to',
			bob.address,
			'--subject',
			'Hello stranger',
			'--body',
			'We have not met.'
		]);
		const id = ok(result).trim();
		expect(result.stderr).toContain('Proving this is not bulk mail');
		expect((await inbox(bob)).map((entry) => [entry.id, entry.from])).toEqual([
			[id, alice.address]
		]);
	});

	it('puts a verified contact on the allow-list, so they need no stamp', async () => {
		const hash = await allowListHash(bob.address, carol.address);
		expect(await relay.storage.knowsSender(bob.address, carol.address, hash)).toBe(false);
		const lookup = JSON.parse(ok(await bob.run(['lookup', carol.address, '--json'])));
		ok(await bob.run(['verify', carol.address, lookup.keys[0].fingerprint]));
		expect(await relay.storage.knowsSender(bob.address, carol.address, hash)).toBe(true);

		const result = await carol.run(['send', '--to', bob.address, '--subject', 'Hi', '--body', 'x']);
		ok(result);
		expect(result.stderr).not.toContain('Proving this is not bulk mail');
	});
});
