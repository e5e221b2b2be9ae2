// Pinned keys on the command line: contacts and their trust states, verification by
// fingerprint, sending refused after the relay swaps a key, and a backup that restores the
// key and the contacts in a fresh home.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeDirectoryKey, newKey } from '../helpers/forge-key';
import type { RunningRelay } from '../helpers/relay-server';
import { cliUser, cliWorld, ok, type CliUser, type CliWorld } from './run-cli';

let world: CliWorld;
let relay: RunningRelay;
let root: string;
let alice: CliUser;
let bob: CliUser;
let carol: CliUser;

interface ContactRow {
	address: string;
	fingerprint: string;
	trust: string;
	servedFingerprints: string[];
}

async function contactsOf(user: CliUser): Promise<Record<string, ContactRow>> {
	const rows = JSON.parse(ok(await user.run(['contacts', '--json']))) as ContactRow[];
	return Object.fromEntries(rows.map((row) => [row.address, row]));
}

async function fingerprintOf(user: CliUser): Promise<string> {
	const answer = JSON.parse(ok(await user.run(['lookup', user.address, '--json'])));
	return answer.keys[0].fingerprint as string;
}

const send = (from: CliUser, to: string, extra: string[] = []) =>
	from.run(['send', '--to', to, '--subject', 'Hello', '--body', 'Hi', ...extra]);

beforeAll(async () => {
	world = await cliWorld(['alice@localhost', 'bob@localhost', 'carol@localhost']);
	({ relay, root } = world);
	[alice, bob, carol] = world.users as [CliUser, CliUser, CliUser];
});

afterAll(async () => {
	await world?.stop();
});

describe('contacts and trust on the command line', () => {
	it('pins on first send, verifies a matching fingerprint and refuses another', async () => {
		ok(await send(alice, bob.address));
		const bobsKey = await fingerprintOf(bob);
		expect((await contactsOf(alice))[bob.address]).toMatchObject({
			fingerprint: bobsKey,
			trust: 'unverified'
		});

		const wrong = await alice.run(['verify', bob.address, 'C'.repeat(40)]);
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toContain('does not match any key for bob@localhost');
		expect((await contactsOf(alice))[bob.address]!.trust).toBe('unverified');

		const spaced = bobsKey.match(/.{4}/g)!.join(' ');
		expect(ok(await alice.run(['verify', bob.address, spaced]))).toContain('is verified');
		expect((await contactsOf(alice))[bob.address]!.trust).toBe('verified');
		expect(statSync(join(alice.home, 'contacts.json')).mode & 0o777).toBe(0o600);
	});

	it('refuses to send after the relay swaps a pinned key, until told what to do', async () => {
		const bobsKey = await fingerprintOf(bob);
		const forged = await forgeDirectoryKey(relay.dataDir, bob.address);
		const refused = await send(alice, bob.address);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('Nothing was sent: the relay now serves a different key');
		expect(refused.stderr).toContain(`--keep-old-key ${bob.address}`);
		expect((await contactsOf(alice))[bob.address]).toMatchObject({
			fingerprint: bobsKey,
			trust: 'changed',
			servedFingerprints: [forged]
		});
		// Keeping the old key sends to it, and the real Bob can still read his mail.
		const id = ok(await send(alice, bob.address, ['--keep-old-key', bob.address])).trim();
		expect(ok(await bob.run(['read', id]))).toContain('Hi');
	});

	it('never picks one of two keys; verifying one makes sending work', async () => {
		const other = await newKey(carol.address);
		await relay.storage.addDirectoryKey(
			carol.address,
			other.fingerprint,
			other.publicKey,
			'imported'
		);
		const refused = await send(alice, carol.address);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain(`More than one key claims ${carol.address}`);
		ok(await alice.run(['verify', carol.address, await fingerprintOf(carol)]));
		ok(await send(alice, carol.address));
	});

	it('backs up and restores the key and the contacts with their trust', async () => {
		const file = join(root, 'alice.backup');
		ok(await alice.run(['backup', '--out', file]));
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const restored = cliUser(relay.url, join(root, 'restored'), alice.address);
		const wrong = await restored.run(['restore', file], { LETTERLOCK_PASSPHRASE: 'not the one!' });
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toContain('does not open this file');

		expect(ok(await restored.run(['restore', file]))).toContain('Restored alice@localhost');
		expect(await contactsOf(restored)).toEqual(await contactsOf(alice));
		// The restored home is Alice: it signs in and reads what was sent to her.
		const id = ok(await send(bob, alice.address)).trim();
		expect(ok(await restored.run(['read', id]))).toContain('Hi');
	});

	it('stores a recovery backup on the relay and restores from the phrase with a new passphrase', async () => {
		const stored = await alice.run(['backup', '--recovery']);
		const words = ok(stored).trim().split(' ');
		expect(words).toHaveLength(13);
		expect(stored.stderr).toContain('shown only this once');

		const home = join(root, 'recovered');
		const recovered = cliUser(relay.url, home, alice.address, 'a brand new passphrase 3');
		const restored = await recovered.run(['restore', '--recovery', alice.address], {
			LETTERLOCK_RECOVERY_PHRASE: words.join(' ')
		});
		expect(ok(restored)).toContain('Restored alice@localhost');
		expect(await contactsOf(recovered)).toEqual(await contactsOf(alice));
		// The key now opens with the new passphrase: it signs in and reads Alice's mail.
		const id = ok(await send(bob, alice.address)).trim();
		expect(ok(await recovered.run(['read', id]))).toContain('Hi');
	});
});
