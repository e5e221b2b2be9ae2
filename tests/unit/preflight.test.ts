// `npm test` on a newcomer's machine: the preflight names everything missing in one sentence,
// with the command that installs it, and exits non-zero before any test starts; with everything
// there it says nothing. The script runs for real, with a PATH that holds only what the test
// puts there.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/preflight.js', import.meta.url).pathname;
const folders: string[] = [];

/** A folder for PATH holding a link to node and, if asked, stand-ins for other programs. */
function binFolder(programs: string[] = []): string {
	const dir = mkdtempSync(join(tmpdir(), 'letterlock-preflight-'));
	folders.push(dir);
	symlinkSync(process.execPath, join(dir, 'node'));
	for (const name of programs) {
		writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
		chmodSync(join(dir, name), 0o755);
	}
	return dir;
}

/** Runs the preflight with `env`; Dovecot is a stand-in in the PATH folder unless `env` says. */
function preflight(env: Record<string, string>) {
	const dovecot = join(env.PATH!, 'dovecot');
	writeFileSync(dovecot, '#!/bin/sh\nexit 0\n');
	chmodSync(dovecot, 0o755);
	const run = spawnSync(process.execPath, [SCRIPT], {
		env: { DOVECOT_PATH: dovecot, ...env },
		encoding: 'utf8',
		timeout: 10_000
	});
	return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterEach(() => {
	for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('npm test preflight', () => {
	it('names every missing program in one sentence with the install command, and fails', () => {
		const bin = binFolder();
		const run = preflight({
			PATH: bin,
			CHROMIUM_PATH: '/nonexistent/chromium',
			FIREFOX_PATH: '/nonexistent/firefox-esr',
			DOVECOT_PATH: '/nonexistent/dovecot'
		});
		expect(run.status).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderr).toBe(
			'Missing: Chromium (/nonexistent/chromium), Firefox ESR (/nonexistent/firefox-esr), ' +
				'GnuPG (gpg), Dovecot (/nonexistent/dovecot) and OpenSSL (openssl). Install them with: ' +
				'sudo apt-get install chromium firefox-esr gnupg dovecot-imapd openssl — or set ' +
				'CHROMIUM_PATH, FIREFOX_PATH and DOVECOT_PATH.\n'
		);
	});

	it('passes silently when every program is where the tests look for it', () => {
		const bin = binFolder(['gpg', 'openssl', 'chromium', 'firefox-esr']);
		const run = preflight({
			PATH: bin,
			CHROMIUM_PATH: join(bin, 'chromium'),
			FIREFOX_PATH: join(bin, 'firefox-esr')
		});
		expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
	});

	it('does not count a file that cannot run as the browser', () => {
		const bin = binFolder(['gpg', 'openssl', 'firefox-esr']);
		const notRunnable = join(bin, 'chromium');
		writeFileSync(notRunnable, 'not a program');
		const run = preflight({
			PATH: bin,
			CHROMIUM_PATH: notRunnable,
			FIREFOX_PATH: join(bin, 'firefox-esr')
		});
		expect(run.status).toBe(1);
		expect(run.stderr).toBe(
			`Missing: Chromium (${notRunnable}). Install it with: sudo apt-get install chromium — or set CHROMIUM_PATH.\n`
		);
	});

	it("needs no system Chromium when Playwright's own browser is asked for", () => {
		const bin = binFolder(['gpg', 'openssl', 'firefox-esr']);
		const run = preflight({
			PATH: bin,
			CHROMIUM_PATH: '/nonexistent/chromium',
			FIREFOX_PATH: join(bin, 'firefox-esr'),
			PLAYWRIGHT_BUNDLED_BROWSER: '1'
		});
		expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
	});

	it('requires a reachable PostgreSQL in CI', async () => {
		const bin = binFolder(['gpg', 'openssl', 'chromium', 'firefox-esr']);
		const present = {
			PATH: bin,
			CHROMIUM_PATH: join(bin, 'chromium'),
			FIREFOX_PATH: join(bin, 'firefox-esr')
		};
		const unset = preflight({ ...present, CI: 'true' });
		expect(unset.status).toBe(1);
		expect(unset.stderr).toBe(
			'Missing: PostgreSQL (LETTERLOCK_TEST_DATABASE_URL, required when CI=true). Install it ' +
				'with: sudo apt-get install postgresql — or set LETTERLOCK_TEST_DATABASE_URL.\n'
		);
		// Something listening where the URL points is enough: the relay tests then connect to it.
		const listener = createServer();
		await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
		const port = (listener.address() as AddressInfo).port;
		const reachable = preflight({
			...present,
			CI: 'true',
			LETTERLOCK_TEST_DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/db`
		});
		await new Promise((resolve) => listener.close(resolve));
		expect(reachable).toEqual({ status: 0, stdout: '', stderr: '' });
		// Port 9 (discard) on loopback: nothing listens there.
		const silent = preflight({
			...present,
			CI: 'true',
			LETTERLOCK_TEST_DATABASE_URL: 'postgres://u:p@127.0.0.1:9/db'
		});
		expect(silent.status).toBe(1);
		expect(silent.stderr).toBe(
			'Missing: PostgreSQL (nothing answers at 127.0.0.1:9). Install it with: sudo apt-get install postgresql.\n'
		);
	});
});
