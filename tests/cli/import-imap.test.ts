// `letterlock import --imap` against a real IMAP server on loopback (Dovecot over TLS, its
// certificate made for the test and trusted only through NODE_EXTRA_CA_CERTS): 50 letters in two
// folders move in, an import killed halfway and run again files each letter exactly once, and no
// letter's text, nor the IMAP password, ever reaches the relay's storage or logs. Also: one named
// folder only, a wrong password, an untrusted certificate and plain imap:// are refused plainly.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type RunningDovecot } from '../helpers/dovecot';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { snapshotter } from '../helpers/snapshot';
import { subjectsAtRelay } from './inbox-at-relay';
import { cliUser, ok, tempRoot, type CliUser } from './run-cli';

const CANARY = `canary-imap-${randomBytes(8).toString('hex')}`;
const PASSWORD = `imap-pass-${randomBytes(8).toString('hex')}`;
const IN_INBOX = 35;
const IN_OLD = 15;

/** Letter `n`; every tenth has no Message-ID, so it is known by its text. */
function letter(n: number): string {
	return [
		`From: Carol Example <carol${n % 5}@example.org>`,
		'To: olduser@example.org',
		`Subject: Letter ${n}`,
		`Date: Tue, 03 Mar 2026 10:${String(n % 60).padStart(2, '0')}:00 +0000`,
		...(n % 10 === 0 ? [] : [`Message-ID: <imap-${n}@example.org>`]),
		'',
		`Body of letter ${n}, with ${CANARY} in it.`,
		''
	].join('\r\n');
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, n) => from + n);
const subjects = (numbers: number[]) => numbers.map((n) => `Letter ${n}`).sort();

describe.each(backends())('letterlock import --imap from Dovecot (%s)', (backend) => {
	let relay: RunningRelay;
	let dovecot: RunningDovecot;
	let root: string;
	let account: string;
	let env: NodeJS.ProcessEnv;

	beforeAll(async () => {
		// 20 letters at once, then 20 a second: the import meets 429 and waits it out.
		[relay, dovecot, root] = await Promise.all([
			startRelay({ backend, rateLimits: { imports: { burst: 20, perMinute: 1200 } } }),
			startDovecot({ olduser: PASSWORD }),
			tempRoot()
		]);
		await dovecot.append('olduser', 'INBOX', range(0, IN_INBOX).map(letter));
		await dovecot.append('olduser', 'Old', range(IN_INBOX, IN_OLD).map(letter));
		account = `imaps://olduser@127.0.0.1:${dovecot.port}`;
		env = { LETTERLOCK_IMAP_PASSWORD: PASSWORD, NODE_EXTRA_CA_CERTS: dovecot.caFile };
	}, 60_000);

	afterAll(async () => {
		await relay?.stop();
		await dovecot?.stop();
		await rm(root, { recursive: true, force: true });
	});

	async function person(name: string): Promise<CliUser> {
		const user = cliUser(relay.url, root, `${name}@localhost`);
		ok(await user.run(['init', '--address', user.address, '--name', name]));
		return user;
	}

	it('imports every folder; killed halfway and run again, each letter once, none readable by the relay', async () => {
		const alice = await person('alice');
		const run = alice.start(['import', '--imap', account], env);
		let printed = '';
		const halfway = (chunk: string) => {
			printed += chunk;
			if (printed.split('\n').length <= 25) return;
			run.child.stdout!.off('data', halfway);
			run.child.kill('SIGKILL');
		};
		run.child.stdout!.on('data', halfway);
		const killed = await run.done;
		expect(killed.code, killed.stderr).not.toBe(0);
		const before = (await relay.storage.listMailbox(alice.address, 'inbox', 0, 100)).length;
		expect(before).toBeGreaterThanOrEqual(25);
		expect(before).toBeLessThan(IN_INBOX + IN_OLD);

		const resumed = await alice.start(['import', '--imap', account], env).done;
		expect(resumed.code, resumed.stderr + (await dovecot.log())).toBe(0);
		expect(resumed.stderr).toContain('were imported before; importing the rest.');
		expect(resumed.stderr).toMatch(/Imported \d+ letters?.*letters\/s/);
		expect(resumed.stdout.trim().split('\n')).toHaveLength(IN_INBOX + IN_OLD - before);
		expect((await subjectsAtRelay(relay, alice)).sort()).toEqual(
			subjects(range(0, IN_INBOX + IN_OLD))
		);

		const again = await alice.start(['import', '--imap', account], env).done;
		expect(again.stderr).toContain(
			`All ${IN_INBOX + IN_OLD} letters were imported before; nothing new to import.`
		);

		const snapshot = snapshotter(relay);
		try {
			const stored = await snapshot.take();
			// The letters are there, as ciphertext: otherwise the checks below would prove nothing.
			expect(stored).toContain('-----BEGIN PGP MESSAGE-----');
			for (const secret of [CANARY, PASSWORD, 'Letter 7']) {
				expect(stored).not.toContain(secret);
				expect(relay.logs.join('\n')).not.toContain(secret);
			}
		} finally {
			await snapshot.close();
		}
	}, 90_000);

	it('imports only the folder the address names', async () => {
		const bob = await person('bob');
		ok(await bob.run(['import', '--imap', `${account}/Old`], env));
		expect((await subjectsAtRelay(relay, bob)).sort()).toEqual(subjects(range(IN_INBOX, IN_OLD)));
		const missing = await bob.run(['import', '--imap', `${account}/Nowhere`], env);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain(
			'The IMAP account has no folder “Nowhere”; it has: INBOX, Old.'
		);
	}, 60_000);

	it('refuses a wrong password, an untrusted certificate and plain imap://, importing nothing', async () => {
		const carol = await person('carol');
		const wrong = await carol.run(['import', '--imap', account], {
			...env,
			LETTERLOCK_IMAP_PASSWORD: 'not it'
		});
		expect(wrong.code).toBe(1);
		expect(wrong.stderr).toContain('refused the user name or password');
		const untrusted = await carol.run(['import', '--imap', account], {
			LETTERLOCK_IMAP_PASSWORD: PASSWORD
		});
		expect(untrusted.code).toBe(1);
		expect(untrusted.stderr).toContain('did not show a certificate this machine trusts');
		const plain = await carol.run(
			['import', '--imap', `imap://olduser@127.0.0.1:${dovecot.port}`],
			env
		);
		expect(plain.code).toBe(2);
		expect(plain.stderr).toContain('would send your password unencrypted');
		expect(await relay.storage.listMailbox(carol.address, 'inbox', 0, 100)).toHaveLength(0);
	}, 60_000);
});
