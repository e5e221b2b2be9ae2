// Letterlock and GnuPG read each other's mail: a key made by gpg works as a Letterlock identity,
// gpg decrypts and verifies what Letterlock sends, Letterlock verifies what gpg signs, and the
// relay's Web Key Directory serves keys where gpg-wks-client expects them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayClient } from '../../src/lib/client/relay-client';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { cliUser, ok, tempRoot, type CliUser } from '../cli/run-cli';
import { Gpg } from './gpg';

const PASSPHRASE = 'gina uses the same passphrase in gpg';

let relay: RunningRelay;
let root: string;
let gpg: Gpg;
let gina: CliUser;
let alice: CliUser;
let ginaFingerprint: string;
let aliceFingerprint: string;

beforeAll(async () => {
	relay = await startRelay({ backend: 'sqlite' });
	root = await tempRoot();
	gpg = await Gpg.create(PASSPHRASE);
	gina = cliUser(relay.url, root, 'gina@localhost', PASSPHRASE);
	alice = cliUser(relay.url, root, 'alice@localhost');
});

afterAll(async () => {
	await gpg?.dispose();
	await relay?.stop();
	if (root) rmSync(root, { recursive: true, force: true });
});

/** gpg's machine-readable status lines, e.g. ["GOODSIG", "KEYID", "Alice"]. */
function statusLines(stderr: string): string[][] {
	return stderr
		.split('\n')
		.filter((line) => line.startsWith('[GNUPG:] '))
		.map((line) => line.slice('[GNUPG:] '.length).split(' '));
}

describe('GnuPG interoperability', () => {
	it('a key made by GnuPG becomes a Letterlock identity with init --key', async () => {
		await gpg.run(['--quick-gen-key', 'Gina <gina@localhost>', 'ed25519', 'sign', 'never']);
		[ginaFingerprint] = (await gpg.fingerprints(true)) as [string];
		await gpg.run(['--quick-add-key', ginaFingerprint, 'cv25519', 'encr', 'never']);
		const { stdout: secretKey } = await gpg.run([
			'--export-secret-keys',
			'--armor',
			ginaFingerprint
		]);
		const keyFile = join(root, 'gina.asc');
		writeFileSync(keyFile, secretKey, { mode: 0o600 });

		const [ginaInit, aliceInit] = await Promise.all([
			gina.run(['init', '--key', keyFile, '--address', gina.address]),
			alice.run(['init', '--address', alice.address, '--name', 'Alice'])
		]);
		expect(ok(ginaInit).replace(/\s/g, '')).toContain(ginaFingerprint);
		ok(aliceInit);
		const aliceKey = ok(await alice.run(['export-key']));
		aliceFingerprint = (await openpgp.readKey({ armoredKey: aliceKey }))
			.getFingerprint()
			.toUpperCase();
		await gpg.run(['--import'], aliceKey);
	});

	it('gpg decrypts what Letterlock sends and reports a good signature from the sender', async () => {
		const body = 'Gina, this came through Letterlock.\nSecond line.';
		const id = ok(
			await alice.run([
				'send',
				'--to',
				gina.address,
				'--subject',
				'From Letterlock',
				'--body',
				body
			])
		).trim();
		const raw = ok(await gina.run(['raw', id]));

		const decrypted = await gpg.run(['--status-fd', '2', '--decrypt'], raw);
		const plaintext = decrypted.stdout.replace(/\r\n/g, '\n');
		expect(plaintext).toContain('Subject: From Letterlock');
		expect(plaintext).toContain(body);
		const status = statusLines(decrypted.stderr);
		expect(status.some(([kind]) => kind === 'GOODSIG')).toBe(true);
		const validsig = status.find(([kind]) => kind === 'VALIDSIG');
		// The last field is the primary key's fingerprint, whichever (sub)key signed.
		expect(validsig?.at(-1)).toBe(aliceFingerprint);
		expect(status.some(([kind]) => kind === 'DECRYPTION_OKAY')).toBe(true);
	});

	it('Letterlock verifies what gpg signs and encrypts, with and without protected headers', async () => {
		const mime = [
			'Content-Type: text/plain; charset=utf-8; protected-headers="v1"',
			'Content-Transfer-Encoding: 8bit',
			'Message-ID: <gpg-1@localhost>',
			'Date: Mon, 04 May 2026 09:30:00 +0000',
			'From: Gina <gina@localhost>',
			'To: alice@localhost',
			'Subject: =?UTF-8?B?R3LDvMOfZSBmcm9tIEdudVBH?=',
			'',
			'Written in a terminal, encrypted with gpg.',
			''
		].join('\r\n');
		const plain = 'No headers at all, just words.\n';
		const encrypt = (text: string) =>
			gpg
				.run(
					[
						'--trust-model',
						'always',
						'--armor',
						'--local-user',
						ginaFingerprint,
						'--recipient',
						alice.address,
						'--sign',
						'--encrypt'
					],
					text
				)
				.then((result) => result.stdout);
		const [withHeaders, withoutHeaders] = await Promise.all([encrypt(mime), encrypt(plain)]);

		const { token } = JSON.parse(readFileSync(join(gina.home, 'session.json'), 'utf8')) as {
			token: string;
		};
		const asGina = new RelayClient(relay.url, { token });
		const first = await asGina.send([alice.address], withHeaders);
		const second = await asGina.send([alice.address], withoutHeaders);

		const [readFirst, readSecond] = await Promise.all([
			alice.run(['read', first.id, '--look-up', '--json']),
			alice.run(['read', second.id, '--look-up', '--json'])
		]);
		const mail = JSON.parse(ok(readFirst));
		expect(mail).toMatchObject({
			from: 'gina@localhost',
			name: 'Gina',
			fingerprint: ginaFingerprint,
			signature: 'valid',
			subject: 'Grüße from GnuPG',
			date: '2026-05-04T09:30:00.000Z',
			senderMismatch: false
		});
		expect(mail.body.trim()).toBe('Written in a terminal, encrypted with gpg.');

		const bare = JSON.parse(ok(readSecond));
		expect(bare).toMatchObject({
			from: 'gina@localhost',
			fingerprint: ginaFingerprint,
			signature: 'valid',
			subject: '',
			body: plain
		});
	});

	it('the relay serves the key under the WKD hash gpg-wks-client computes', async () => {
		const hash = await gpg.wkdHash(gina.address);
		const response = await fetch(`${relay.url}/.well-known/openpgpkey/hu/${hash}?l=gina`);
		expect(response.status).toBe(200);
		const binaryKey = new Uint8Array(await response.arrayBuffer());
		const key = await openpgp.readKey({ binaryKey });
		expect(key.getFingerprint().toUpperCase()).toBe(ginaFingerprint);

		// And gpg itself reads what the directory serves.
		const served = join(root, 'wkd-key.bin');
		writeFileSync(served, binaryKey);
		const shown = await gpg.run([
			'--with-colons',
			'--import-options',
			'show-only',
			'--import',
			served
		]);
		expect(shown.stdout).toContain(`fpr:::::::::${ginaFingerprint}:`);
	});
});
