// Mail in and out as files, through the real `letterlock` command, a real relay and real gpg:
// an export is PGP/MIME that gpg decrypts; a PGP/MIME message made by gpg imports and reads with
// its signature checked; plain mail is encrypted before the relay gets it; mbox holds several;
// a bad file imports nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gpg } from '../interop/gpg';
import type { RunningRelay } from '../helpers/relay-server';
import { cliWorld, ok, type CliUser, type CliWorld } from './run-cli';

let world: CliWorld;
let relay: RunningRelay;
let alice: CliUser;
let bob: CliUser;
let gpg: Gpg;

const file = (name: string) => join(world.root, name);

/** RFC 3156 around an armored OpenPGP message, as mail programs build it. */
function pgpMime(from: string, armored: string): string {
	return [
		`From: ${from}`,
		'To: alice@localhost',
		'Subject: ...',
		'MIME-Version: 1.0',
		'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b0"',
		'',
		'--b0',
		'Content-Type: application/pgp-encrypted',
		'',
		'Version: 1',
		'',
		'--b0',
		'Content-Type: application/octet-stream; name="encrypted.asc"',
		'',
		armored.trim(),
		'--b0--',
		''
	].join('\r\n');
}

/** Each subject its own letter, with its own Message-ID (import skips a Message-ID it has seen). */
const plainMail = (subject: string, body: string) =>
	[
		'From: Carol Example <carol@example.org>',
		'To: alice@localhost',
		`Subject: ${subject}`,
		'Date: Tue, 03 Mar 2026 10:00:00 +0000',
		`Message-ID: <${subject.toLowerCase().replace(/\W+/g, '-')}@example.org>`,
		'',
		body,
		''
	].join('\n');

/** Asked of the relay's storage directly: cheaper than a CLI run that decrypts every message. */
async function inboxCount(): Promise<number> {
	return (await relay.storage.listMailbox('alice@localhost', 'inbox', 0, 1000)).length;
}

async function readJson(id: string, options: string[] = []) {
	return JSON.parse(ok(await alice.run(['read', id, ...options, '--json'])));
}

beforeAll(async () => {
	world = await cliWorld(['alice@localhost', 'bob@localhost']);
	({ relay } = world);
	[alice, bob] = world.users as [CliUser, CliUser];
	gpg = await Gpg.create(alice.passphrase);
}, 60_000);

afterAll(async () => {
	await gpg?.dispose();
	await world?.stop();
});

describe('letterlock export and import', () => {
	it('exports a message as PGP/MIME that gpg decrypts with the user’s key', async () => {
		const id = ok(
			await bob.run([
				'send',
				'--to',
				'alice@localhost',
				'--subject',
				'Minutes',
				'--body',
				'The minutes, as promised.'
			])
		).trim();
		ok(await alice.run(['export', id, '--out', file('minutes.eml')]));
		const eml = readFileSync(file('minutes.eml'), 'utf8');
		expect(eml).toMatch(
			/Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted"; boundary="([^"]+)"/
		);
		expect(eml).toContain('Content-Type: application/pgp-encrypted\r\n');
		expect(eml).toContain('Version: 1');
		expect(eml).not.toContain('Minutes');
		const armored = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(eml)![0];

		const identity = (user: CliUser) =>
			JSON.parse(readFileSync(join(user.home, 'identity.json'), 'utf8'));
		await gpg.run(['--import'], identity(alice).lockedPrivateKey);
		await gpg.run(['--import'], identity(bob).publicKey);
		const decrypted = await gpg.run(['--decrypt'], armored);
		expect(decrypted.stdout).toContain('Subject: Minutes');
		expect(decrypted.stdout).toContain('The minutes, as promised.');
		expect(decrypted.stderr).toContain('Good signature from "bob@localhost');
	}, 60_000);

	it('imports PGP/MIME made by gpg, and reads it with the signature checked', async () => {
		await gpg.run(['--quick-gen-key', 'Gus <gus@localhost>', 'ed25519', 'sign', 'never']);
		const listing = await gpg.run(['--with-colons', '--list-secret-keys', 'gus@localhost']);
		const fingerprint = /^fpr:(?:[^:]*:){8}([0-9A-F]+):/m.exec(listing.stdout)![1];
		await gpg.run(['--quick-add-key', fingerprint!, 'cv25519', 'encr', 'never']);
		const publicKey = (await gpg.run(['--armor', '--export', 'gus@localhost'])).stdout;
		// Gus has an account, so the directory serves his key to readers.
		const registered = await fetch(`${relay.url}/api/accounts`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ address: 'gus@localhost', publicKey })
		});
		expect(registered.status).toBe(201);
		const inner = [
			'Content-Type: text/plain; charset=utf-8; protected-headers="v1"',
			'From: Gus <gus@localhost>',
			'To: alice@localhost',
			'Subject: Signed by GnuPG',
			'Date: Mon, 02 Mar 2026 09:00:00 +0000',
			'',
			'Written and signed with gpg.'
		].join('\r\n');
		const armored = (
			await gpg.run(
				[
					'--armor',
					'--trust-model',
					'always',
					'--local-user',
					'gus@localhost',
					'--recipient',
					'alice@localhost',
					'--encrypt',
					'--sign'
				],
				inner
			)
		).stdout;
		writeFileSync(file('from-gpg.eml'), pgpMime('Gus <gus@localhost>', armored));

		const id = ok(await alice.run(['import', file('from-gpg.eml')])).trim();
		// Gus is new to Alice: she looks his key up to check his signature.
		const mail = await readJson(id, ['--look-up']);
		expect(mail).toMatchObject({
			from: 'gus@localhost',
			subject: 'Signed by GnuPG',
			body: 'Written and signed with gpg.',
			signature: 'valid',
			imported: true,
			senderMismatch: false
		});
		expect(ok(await alice.run(['read', id]))).toContain('Imported:');
	}, 120_000);

	it('encrypts plain mail before the relay gets it, and says it is not signed', async () => {
		writeFileSync(file('plain.eml'), plainMail('Plain old mail', 'Nothing secret here, yet.'));
		const id = ok(await alice.run(['import', file('plain.eml')])).trim();
		const stored = await relay.storage.getMailboxMessage('alice@localhost', id);
		expect(stored?.armored).toContain('-----BEGIN PGP MESSAGE-----');
		expect(stored?.armored).not.toContain('Plain old mail');
		expect(stored?.sender).toBe('carol@example.org');
		expect(await readJson(id)).toMatchObject({
			from: 'carol@example.org',
			subject: 'Plain old mail',
			body: 'Nothing secret here, yet.\n',
			signature: 'unsigned',
			imported: true
		});
	}, 60_000);

	it('imports every message of an mbox, and a folder exports back to mbox', async () => {
		const before = await inboxCount();
		const mbox = [
			'From carol@example.org Tue Mar  3 10:00:00 2026',
			plainMail('First of three', 'One.'),
			'From carol@example.org Tue Mar  3 10:01:00 2026',
			plainMail('Second of three', '>From the start, quoted as mboxrd does.'),
			'From carol@example.org Tue Mar  3 10:02:00 2026',
			plainMail('Third of three', 'Three.')
		].join('\n');
		writeFileSync(file('three.mbox'), mbox);
		const ids = ok(await alice.run(['import', file('three.mbox')]))
			.trim()
			.split('\n');
		expect(ids).toHaveLength(3);
		expect(await inboxCount()).toBe(before + 3);
		expect((await readJson(ids[1]!)).body).toBe('From the start, quoted as mboxrd does.\n');

		ok(await alice.run(['export', '--folder', 'inbox', '--out', file('inbox.mbox')]));
		const exported = readFileSync(file('inbox.mbox'), 'utf8');
		expect(exported.match(/^From \S+ \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/gm)).toHaveLength(
			before + 3
		);
		expect(exported.match(/multipart\/encrypted/g)).toHaveLength(before + 3);
	}, 60_000);

	it('refuses a malformed file with a sentence and imports nothing of it', async () => {
		const before = await inboxCount();
		writeFileSync(file('notes.txt'), 'just some notes\nthat are not mail\n');
		const refused = await alice.run(['import', file('notes.txt')]);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('cannot be imported: it does not start with mail headers');

		// One good message before a bad one: the good one is not imported either.
		const mixed = [
			'From carol@example.org Tue Mar  3 10:00:00 2026',
			plainMail('Fine', 'Fine.'),
			'From gus@localhost Tue Mar  3 10:01:00 2026',
			pgpMime('gus@localhost', '-----BEGIN PGP MESSAGE-----\n\nbroken\n-----END PGP MESSAGE-----')
		].join('\n');
		writeFileSync(file('mixed.mbox'), mixed);
		const half = await alice.run(['import', file('mixed.mbox')]);
		expect(half.code).toBe(1);
		expect(half.stderr).toContain('Message 2 of 2 cannot be imported');
		expect(half.stderr).toContain('Nothing was imported');
		expect(await inboxCount()).toBe(before);
	}, 60_000);
});
