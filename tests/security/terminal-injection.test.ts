// Terminal injection: the command line prints text that strangers wrote (a letter's To, subject,
// body, names and attachment names) and text that relays wrote (their error sentences, a remote
// relay's reason for refusing a delivery). A terminal obeys escape sequences in what it prints:
// ESC[2J clears the screen, OSC 52 writes the clipboard, 8-bit CSI (U+009B) does what ESC[ does,
// and bidi overrides make "invoice<RLO>fdp.exe" read "invoiceexe.pdf". None may reach stdout or
// stderr raw, in text or JSON output, and no command may write around the one safe sink.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFileName } from '../../src/lib/client/file-name';
import { startHostileRelay } from '../helpers/hostile-relay';
import { cliUser, ok, tempRoot, type CliResult, type CliUser } from '../cli/run-cli';
import { api, encryptFor, register, signIn, type TestKey } from '../relay/support';

const ESC = '\u001b';
/** Clear the screen, set the window title, write "evil" to the clipboard, 8-bit CSI, RLO. */
const HOSTILE = `${ESC}[2J${ESC}]0;owned\u0007${ESC}]52;c;ZXZpbA==\u0007\u009b31m\u202e\u2066`;
/** Anything a terminal would act on: C0 but tab and newline, DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectInert(result: CliResult, what: string) {
	for (const [stream, text] of [
		['stdout', result.stdout],
		['stderr', result.stderr]
	] as const) {
		expect(text.includes(ESC), `${what} ${stream}: ${JSON.stringify(text)}`).toBe(false);
		expect(ACTIVE.test(text), `${what} ${stream}: ${JSON.stringify(text)}`).toBe(false);
	}
}

/** A letter written by hand, as an attacker would, with hostile text in every header and part. */
function hostileLetter(): string {
	return [
		'Content-Type: multipart/mixed; boundary="cut"; protected-headers="v1"',
		'Content-Transfer-Encoding: 8bit',
		'Message-ID: <hostile@localhost>',
		'Date: Mon, 01 Jun 2026 10:00:00 +0000',
		`From: "Mallory ${HOSTILE}" <mallory@localhost>`,
		`To: bob@localhost, ${HOSTILE}friend@localhost`,
		`Subject: Invoice ${HOSTILE} fdp.exe`,
		'',
		'--cut',
		'Content-Type: text/plain; charset=utf-8',
		'',
		`Dear Bob,\n${HOSTILE}\nplease pay.\rForged line`,
		'--cut',
		'Content-Type: application/octet-stream',
		`Content-Disposition: attachment; filename="invoice${HOSTILE}gpj.exe"`,
		'',
		'MZ',
		'--cut--'
	].join('\r\n');
}

describe('terminal injection through the command line', { timeout: 120_000 }, () => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let root: string;
	let alice: CliUser;
	let bob: CliUser;
	let mallory: TestKey;
	let letterId: string;

	beforeAll(async () => {
		setup = await startHostileRelay({ backend: 'sqlite' });
		root = await tempRoot();
		alice = cliUser(setup.hostile.url, root, 'alice@localhost');
		bob = cliUser(setup.hostile.url, root, 'bob@localhost');
		await Promise.all(
			[alice, bob].map(async (user) =>
				ok(await user.run(['init', '--address', user.address, '--name', user.address]))
			)
		);
		mallory = await register(setup.relay, 'mallory@localhost');
		const token = await signIn(setup.relay, 'mallory@localhost', mallory);
		const bobKey = (await api(setup.relay, 'GET', '/api/keys/bob@localhost')).body.keys[0];
		const sent = await api(setup.relay, 'POST', '/api/messages', {
			token,
			json: {
				to: ['bob@localhost'],
				message: await encryptFor([bobKey as TestKey, mallory], hostileLetter())
			}
		});
		expect(sent.status).toBe(201);
		letterId = sent.body.id;
	});
	afterAll(async () => {
		await setup?.stop();
		if (root) rmSync(root, { recursive: true, force: true });
	});

	it('list and read show a hostile letter with every control made visible', async () => {
		const [list, listJson, read, readJson] = await Promise.all([
			bob.run(['list']),
			bob.run(['list', '--json']),
			bob.run(['read', letterId]),
			bob.run(['read', letterId, '--json'])
		]);
		for (const [what, result] of Object.entries({ list, listJson, read, readJson })) {
			ok(result);
			expectInert(result, what);
		}
		// Still readable, the escapes shown for what they are; single-line fields stay one line.
		expect(read.stdout).toContain('\\u001b[2J');
		expect(read.stdout).toMatch(/^Subject: {3}Invoice .*fdp\.exe$/m);
		expect(read.stdout).toMatch(/^Attached: {2}"invoice\\u001b\[2J.* \(2 bytes/m);
		expect(read.stdout).not.toMatch(/^Forged line/m);
		// JSON output stays JSON, with the sender's text intact for a script to judge.
		const mail = JSON.parse(readJson.stdout);
		expect(mail.subject).toBe(`Invoice ${HOSTILE} fdp.exe`);
		expect(JSON.parse(listJson.stdout)[0].subject).toBe(mail.subject);
	});

	it("a hostile relay's error sentences never reach the terminal: the CLI says what the kind means", async () => {
		const sentence = `Nothing here.${HOSTILE}\nletterlock: Sent to everyone. Call +1 555 0100 to unlock.`;
		const refuse = (status: number, kind: string) => () => ({
			status,
			json: { error: { kind, message: sentence } }
		});
		setup.hostile.lie({
			method: 'GET',
			path: '/api/keys/carol@localhost',
			answer: refuse(424, 'invalid-request')
		});
		setup.hostile.lie({
			method: 'POST',
			path: '/api/messages',
			answer: refuse(403, 'call-support-now')
		});
		setup.hostile.lie({
			method: 'GET',
			path: '/api/mailboxes/alice@localhost/messages',
			answer: refuse(429, 'rate-limited')
		});
		try {
			const [lookup, send, list] = await Promise.all([
				alice.run(['lookup', 'carol@localhost']),
				alice.run(['send', '--to', 'bob@localhost', '--subject', 'hi', '--body', 'hello']),
				alice.run(['list'])
			]);
			const said = { lookup, send, list };
			for (const [what, result] of Object.entries(said)) {
				expect(result.code, what).toBe(1);
				expectInert(result, what);
				expect(result.stderr.trimEnd().split('\n'), what).toHaveLength(1);
				for (const words of ['Nothing here', 'Sent to everyone', '555', 'call-support-now']) {
					expect(result.stderr, what).not.toContain(words);
				}
			}
			// Each in this app's words, from the kind (or, for a kind it does not know, the status).
			expect(lookup.stderr).toContain('The relay did not accept what was sent');
			expect(send.stderr).toContain('The relay refused this (HTTP 403).');
			expect(list.stderr).toContain('The relay asks to slow down');
		} finally {
			setup.hostile.reset();
		}
	});
});

describe('the command line writes only through its safe sink', () => {
	it('no file in src/cli writes to stdout, stderr or the console itself', () => {
		const folder = join(import.meta.dirname, '../../src/cli');
		const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) =>
			name.endsWith('.ts')
		);
		expect(files.length).toBeGreaterThan(10);
		const offenders = files.filter(
			(name) =>
				name !== 'output.ts' &&
				/process\.(stdout|stderr)\.write|console\.\w+\(/.test(
					readFileSync(join(folder, name), 'utf8')
				)
		);
		expect(offenders).toEqual([]);
	});
});

describe('file names chosen by a sender', () => {
	it('never yield a hidden file, a path or invisible characters', () => {
		expect(safeFileName(' .profile')).toBe('profile');
		expect(safeFileName('\u00a0..bashrc')).toBe('bashrc');
		expect(safeFileName('../../.ssh/authorized_keys')).toBe('authorized_keys');
		expect(safeFileName('..\\..\\evil.bat')).toBe('evil.bat');
		expect(safeFileName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
		expect(safeFileName(' . ')).toBe('attachment');
		expect(safeFileName('report 2026.pdf')).toBe('report 2026.pdf');
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), (name) => {
				const saved = safeFileName(name);
				expect(saved).not.toBe('');
				expect(saved).not.toMatch(/^[\s.]/);
				expect(saved).not.toMatch(/[\\/]/);
				expect(ACTIVE.test(saved)).toBe(false);
			}),
			{ numRuns: 300 }
		);
	});
});
