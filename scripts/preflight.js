// Runs first in `npm test`: checks that the programs the tests drive are on this machine, and
// if not, stops at once with one sentence naming what is missing and how to install it, instead
// of a stack trace halfway through the run. Plain Node, no dependencies: it must work before
// anything else does. The paths follow the tests' own rules (tests/helpers/chromium.ts,
// tests/e2e/tor-browser.spec.ts, tests/helpers/relay-server.ts, tests/helpers/dovecot.ts).
import { accessSync, constants, statSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

const env = process.env;

/** @param {string} path */
function executable(path) {
	try {
		accessSync(path, constants.X_OK);
		return statSync(path).isFile();
	} catch {
		return false;
	}
}

/** @param {string} name */
const onPath = (name) =>
	(env.PATH ?? '').split(delimiter).some((dir) => dir && executable(join(dir, name)));

/** Whether something accepts TCP connections at the database URL's host and port.
 * @param {string} url
 * @returns {Promise<boolean>} */
function answers(url) {
	/** @type {string} */
	let host;
	/** @type {number} */
	let port;
	try {
		const parsed = new URL(url);
		host = parsed.hostname || '127.0.0.1';
		port = Number(parsed.port || 5432);
	} catch {
		return Promise.resolve(false);
	}
	return new Promise((resolve) => {
		const socket = connect({ host, port, timeout: 2000 });
		/** @param {boolean} ok */
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
		socket.once('timeout', () => done(false));
	});
}

/** Each missing thing: how to name it, the Debian package, and the variable that points elsewhere.
 * @type {{ name: string; pkg: string; variable?: string }[]} */
const missing = [];

// PLAYWRIGHT_BUNDLED_BROWSER=1 uses Playwright's own download instead of a system Chromium.
if (!env.PLAYWRIGHT_BUNDLED_BROWSER) {
	const chromium = env.CHROMIUM_PATH || '/usr/bin/chromium';
	if (!executable(chromium)) {
		missing.push({ name: `Chromium (${chromium})`, pkg: 'chromium', variable: 'CHROMIUM_PATH' });
	}
}
const firefox = env.FIREFOX_PATH || '/usr/bin/firefox-esr';
if (!executable(firefox)) {
	missing.push({ name: `Firefox ESR (${firefox})`, pkg: 'firefox-esr', variable: 'FIREFOX_PATH' });
}
if (!onPath('gpg')) missing.push({ name: 'GnuPG (gpg)', pkg: 'gnupg' });
// The IMAP import test runs its own Dovecot (tests/helpers/dovecot.ts) with a certificate openssl makes.
const dovecot = env.DOVECOT_PATH || '/usr/sbin/dovecot';
if (!executable(dovecot)) {
	missing.push({ name: `Dovecot (${dovecot})`, pkg: 'dovecot-imapd', variable: 'DOVECOT_PATH' });
}
if (!onPath('openssl')) missing.push({ name: 'OpenSSL (openssl)', pkg: 'openssl' });

const databaseUrl = env.LETTERLOCK_TEST_DATABASE_URL;
if (databaseUrl) {
	if (!(await answers(databaseUrl))) {
		const where = URL.canParse(databaseUrl)
			? new URL(databaseUrl).host
			: 'LETTERLOCK_TEST_DATABASE_URL, which is not a URL';
		missing.push({ name: `PostgreSQL (nothing answers at ${where})`, pkg: 'postgresql' });
	}
} else if (env.CI === 'true') {
	// CI must never skip the PostgreSQL tests silently (see backends() in relay-server.ts).
	missing.push({
		name: 'PostgreSQL (LETTERLOCK_TEST_DATABASE_URL, required when CI=true)',
		pkg: 'postgresql',
		variable: 'LETTERLOCK_TEST_DATABASE_URL'
	});
}

/** @param {string[]} words */
const list = (words) =>
	words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

if (missing.length > 0) {
	const variables = missing.flatMap((thing) => (thing.variable ? [thing.variable] : []));
	const them = missing.length === 1 ? 'it' : 'them';
	const packages = missing.map((thing) => thing.pkg).join(' ');
	const instead = variables.length > 0 ? ` — or set ${list(variables)}` : '';
	process.stderr.write(
		`Missing: ${list(missing.map((thing) => thing.name))}. Install ${them} with: sudo apt-get install ${packages}${instead}.\n`
	);
	process.exit(1);
}
