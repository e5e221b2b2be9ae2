// The CLI's happy path against a real relay: three people create keys, one writes to the other
// two, and everything a reader relies on (signature, fingerprints, ciphertext) is checked.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayClient } from '../../src/lib/client/relay-client';
import type { RunningRelay } from '../helpers/relay-server';
import { cliWorld, ok, type CliUser, type CliWorld } from './run-cli';

let world: CliWorld;
let relay: RunningRelay;
let alice: CliUser;
let bob: CliUser;
let carol: CliUser;
let messageId: string;

const SUBJECT = 'Grüße, 日本 ✉ — quarterly numbers';
const BODY = 'Hello both,\n\nthe numbers are attached in spirit.\n-- \nAlice';

beforeAll(async () => {
	// `init` is under test here, so the people get no keys yet.
	world = await cliWorld(['alice@localhost', 'bob@localhost', 'carol@localhost'], { init: false });
	({ relay } = world);
	[alice, bob, carol] = world.users as [CliUser, CliUser, CliUser];
});

afterAll(async () => {
	await world?.stop();
});

async function fingerprintOf(armoredKey: string): Promise<string> {
	return (await openpgp.readKey({ armoredKey })).getFingerprint().toUpperCase();
}

describe('letterlock CLI', () => {
	it('init creates a key, registers it and keeps it in a private home', async () => {
		const results = await Promise.all([
			alice.run(['init', '--address', alice.address, '--name', 'Alice Liddell']),
			bob.run(['init', '--address', 'Bob@Localhost', '--name', 'Bob']),
			carol.run(['init', '--address', carol.address, '--name', 'Carol'])
		]);
		const out = ok(results[0]!);
		expect(out).toContain('alice@localhost');
		expect(out).toMatch(/Fingerprint: ([0-9A-F]{4} ){9}[0-9A-F]{4}/);
		expect(ok(results[1]!)).toContain('bob@localhost');
		ok(results[2]!);

		expect(statSync(alice.home).mode & 0o777).toBe(0o700);
		for (const file of ['identity.json', 'session.json']) {
			expect(statSync(join(alice.home, file)).mode & 0o777).toBe(0o600);
		}
		const identity = JSON.parse(readFileSync(join(alice.home, 'identity.json'), 'utf8'));
		expect(identity).toMatchObject({ address: 'alice@localhost', name: 'Alice Liddell' });
		expect(identity.relay).toBe(relay.url);
		expect(identity.lockedPrivateKey).toContain('-----BEGIN PGP PRIVATE KEY BLOCK-----');
		expect(JSON.stringify(identity)).not.toContain(alice.passphrase);
		expect(out.replace(/\s/g, '')).toContain(identity.fingerprint);
	});

	it('send signs and encrypts to two recipients and prints the message id', async () => {
		const result = await alice.run([
			'send',
			'--to',
			bob.address,
			'--to',
			carol.address,
			'--subject',
			SUBJECT,
			'--body',
			BODY
		]);
		messageId = ok(result).trim();
		expect(messageId).not.toBe('');
		expect(result.stderr).toContain('bob@localhost, carol@localhost');
	});

	it('list and read show the decrypted message with a valid signature and the sender fingerprint', async () => {
		// Alice is new to Bob and Carol: they look her key up to check her signature.
		const [listed, readBob, readCarol, sent, exported, human] = await Promise.all([
			bob.run(['list', '--look-up', '--json']),
			bob.run(['read', messageId, '--look-up', '--json']),
			carol.run(['read', messageId, '--look-up', '--json']),
			alice.run(['list', '--folder', 'sent']),
			alice.run(['export-key']),
			bob.run(['read', messageId, '--look-up'])
		]);
		const aliceFingerprint = await fingerprintOf(ok(exported));

		const entries = JSON.parse(ok(listed));
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({
			id: messageId,
			from: 'alice@localhost',
			subject: SUBJECT,
			signature: 'valid',
			fingerprint: aliceFingerprint
		});

		for (const result of [readBob, readCarol]) {
			const mail = JSON.parse(ok(result));
			expect(mail).toMatchObject({
				id: messageId,
				from: 'alice@localhost',
				fingerprint: aliceFingerprint,
				signature: 'valid',
				subject: SUBJECT,
				body: BODY
			});
			expect(mail.to.map((entry: { address: string }) => entry.address)).toEqual([
				'bob@localhost',
				'carol@localhost'
			]);
			expect(Number.isNaN(Date.parse(mail.date))).toBe(false);
		}

		expect(ok(sent)).toContain(messageId);
		expect(ok(sent)).toContain(SUBJECT);
		const text = ok(human);
		expect(text).toContain('Alice Liddell <alice@localhost>');
		expect(text).toContain(`Subject:   ${SUBJECT}`);
		expect(text).toMatch(/Signature: valid/);
		expect(text).toContain(BODY);
	});

	it('raw prints the armored ciphertext exactly as the relay stores it', async () => {
		const raw = ok(await bob.run(['raw', messageId]));
		expect(raw.startsWith('-----BEGIN PGP MESSAGE-----')).toBe(true);
		expect(raw).not.toContain(SUBJECT);
		const session = JSON.parse(readFileSync(join(bob.home, 'session.json'), 'utf8'));
		const stored = await new RelayClient(relay.url, { token: session.token }).fetchMessage(
			bob.address,
			messageId
		);
		expect(raw).toBe(stored.message);
	});

	it('export-key gives the public key, and with --secret the passphrase-locked secret key', async () => {
		const [publicResult, secretResult] = await Promise.all([
			alice.run(['export-key']),
			alice.run(['export-key', '--secret'])
		]);
		const publicKey = await openpgp.readKey({ armoredKey: ok(publicResult) });
		expect(publicKey.isPrivate()).toBe(false);
		const secretKey = await openpgp.readPrivateKey({ armoredKey: ok(secretResult) });
		expect(secretKey.isDecrypted()).toBe(false);
		expect(secretKey.getFingerprint()).toBe(publicKey.getFingerprint());
		const unlocked = await openpgp.decryptKey({
			privateKey: secretKey,
			passphrase: alice.passphrase
		});
		expect(unlocked.isDecrypted()).toBe(true);
	});

	it('lookup shows the fingerprint, and says so when two keys claim an address', async () => {
		const aliceFingerprint = await fingerprintOf(ok(await alice.run(['export-key'])));
		const grouped = aliceFingerprint.replace(/(.{4})(?!$)/g, '$1 ');
		const single = ok(await bob.run(['lookup', alice.address]));
		expect(single).toContain(grouped);
		expect(single).toContain('Alice Liddell <alice@localhost>');
		expect(single).not.toMatch(/conflict/i);

		// A second key claiming carol's address, as a hostile relay operator might add.
		const { publicKey: impostor } = await openpgp.generateKey({
			userIDs: [{ name: 'Not Carol', email: carol.address }],
			format: 'armored'
		});
		await relay.storage.addDirectoryKey(
			carol.address,
			await fingerprintOf(impostor),
			impostor,
			'imported'
		);
		const [conflict, blocked] = await Promise.all([
			bob.run(['lookup', carol.address]),
			bob.run(['send', '--to', carol.address, '--subject', 'hi', '--body', 'hi'])
		]);
		expect(ok(conflict)).toMatch(/^Conflict: 2 keys claim carol@localhost; .+\.$/m);
		expect(blocked.code).toBe(1);
		expect(blocked.stderr).toContain('More than one key claims carol@localhost');
	});
});
