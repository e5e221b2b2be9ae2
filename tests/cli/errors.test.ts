// Failures a user will meet: each must end in one plain sentence on stderr, exit code 1 (2 for
// a malformed command line) and no stack trace; and a lost or stale session must heal itself.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { cliUser, ok, runCli, tempRoot, type CliResult, type CliUser } from './run-cli';

let relay: RunningRelay;
let root: string;
let dora: CliUser;
let emil: CliUser;

beforeAll(async () => {
	relay = await startRelay({ backend: 'sqlite' });
	root = await tempRoot();
	dora = cliUser(relay.url, root, 'dora@localhost');
	emil = cliUser(relay.url, root, 'emil@localhost');
	const results = await Promise.all([
		dora.run(['init', '--address', dora.address, '--name', 'Dora']),
		emil.run(['init', '--address', emil.address, '--name', 'Emil'])
	]);
	results.forEach(ok);
});

afterAll(async () => {
	await relay?.stop();
	if (root) rmSync(root, { recursive: true, force: true });
});

/** One line on stderr, naming what failed, with the expected exit code and no stack trace. */
function expectSentence(result: CliResult, code: number, text: string | RegExp): void {
	expect(result.code, result.stderr).toBe(code);
	expect(result.stdout).toBe('');
	const lines = result.stderr.trimEnd().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^letterlock: .+[.!]$/);
	expect(lines[0]).toMatch(text);
	expect(result.stderr).not.toMatch(/^\s+at /m);
}

function session(user: CliUser): { token: string; expiresAt: string } {
	return JSON.parse(readFileSync(join(user.home, 'session.json'), 'utf8'));
}

describe('letterlock CLI errors', () => {
	it('a wrong passphrase, an unknown recipient and a bad address each give one sentence', async () => {
		const [wrong, unknown, badAddress, badInit, noPassphrase] = await Promise.all([
			dora.run(['list'], { LETTERLOCK_PASSPHRASE: 'not the passphrase' }),
			dora.run(['send', '--to', 'nobody@localhost', '--subject', 's', '--body', 'b']),
			dora.run(['send', '--to', 'not an address', '--subject', 's', '--body', 'b']),
			runCli(
				['--relay', relay.url, '--home', join(root, 'x'), 'init', '--address', 'x@', '--name', 'X'],
				{
					LETTERLOCK_PASSPHRASE: 'long enough passphrase'
				}
			),
			runCli(['--relay', relay.url, '--home', dora.home, 'list'])
		]);
		expectSentence(wrong, 1, 'That passphrase does not unlock this key');
		expectSentence(unknown, 1, 'No one called nobody@localhost has a Letterlock key here');
		expectSentence(badAddress, 1, '“not an address” is not a complete address');
		expectSentence(badInit, 2, 'That is not a valid address');
		expectSentence(noPassphrase, 1, 'set LETTERLOCK_PASSPHRASE or run letterlock in a terminal');
	});

	it('a malformed command line exits with 2, and --help with 0', async () => {
		const [missingTo, unknownOption, unknownCommand, missingId, help] = await Promise.all([
			dora.run(['send', '--subject', 's', '--body', 'b']),
			dora.run(['list', '--colour']),
			dora.run(['frobnicate']),
			dora.run(['read']),
			runCli(['send', '--help'])
		]);
		expectSentence(missingTo, 2, 'Missing --to');
		expectSentence(unknownOption, 2, 'Unknown option --colour');
		expectSentence(unknownCommand, 2, 'Unknown command “frobnicate”');
		expectSentence(missingId, 2, 'Missing the message ID');
		expect(ok(help)).toContain('Usage: letterlock send --to ADDR');
	});

	it('commands need an identity, and a relay that answers', async () => {
		const [noIdentity, offline] = await Promise.all([
			runCli(['--relay', relay.url, '--home', join(root, 'nobody'), 'list']),
			dora.run(['--relay', 'http://127.0.0.1:9', 'lookup', emil.address])
		]);
		expectSentence(noIdentity, 1, 'There is no Letterlock identity in');
		expectSentence(offline, 1, 'The relay cannot be reached');
	});

	it('logs in again when the session token is rejected, expired or gone', async () => {
		const sessionFile = join(dora.home, 'session.json');
		const first = session(dora).token;

		writeFileSync(
			sessionFile,
			JSON.stringify({ token: 'forged', expiresAt: '2999-01-01T00:00:00Z' })
		);
		ok(await dora.run(['list']));
		const second = session(dora).token;
		expect(second).not.toBe('forged');
		expect(second).not.toBe(first);

		writeFileSync(
			sessionFile,
			JSON.stringify({ token: second, expiresAt: '2000-01-01T00:00:00Z' })
		);
		ok(await dora.run(['list', '--folder', 'sent']));
		const third = session(dora).token;
		expect(third).not.toBe(second);
		expect(Date.parse(session(dora).expiresAt)).toBeGreaterThan(Date.now());

		rmSync(sessionFile);
		expect(JSON.parse(ok(await dora.run(['list', '--json'])))).toEqual([]);
		expect(session(dora).token).not.toBe(third);
	});
});
