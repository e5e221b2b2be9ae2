// Promise 1: the relay never sees plaintext or passphrases. A unique canary travels in a
// message's subject and body and in the passphrase; afterwards no byte of the relay's storage
// (database, WAL, any other file) and no line of its log may contain it.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { cliUser, ok, tempRoot, type CliUser } from '../cli/run-cli';

const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const PASSPHRASE = `passphrase-${randomBytes(12).toString('hex')}`;

let relay: RunningRelay;
let relayStopped = false;
let root: string;
let hana: CliUser;
let ivan: CliUser;

beforeAll(async () => {
	relay = await startRelay({ backend: 'sqlite' });
	root = await tempRoot();
	hana = cliUser(relay.url, root, 'hana@localhost', PASSPHRASE);
	ivan = cliUser(relay.url, root, 'ivan@localhost', PASSPHRASE);
});

afterAll(async () => {
	if (relay && !relayStopped) await relay.stop();
	if (root) rmSync(root, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile())
		.map((entry) => join(entry.parentPath, entry.name));
}

/** Every file of the relay that holds the secret, searched as raw bytes. */
function filesContaining(dir: string, secret: string): string[] {
	const needle = Buffer.from(secret, 'utf8');
	return filesUnder(dir).filter((file) => readFileSync(file).includes(needle));
}

describe('the relay sees no secret', () => {
	it('a canary in subject, body and passphrase never reaches the relay’s storage or logs', async () => {
		await Promise.all([
			hana.run(['init', '--address', hana.address, '--name', 'Hana']),
			ivan.run(['init', '--address', ivan.address, '--name', 'Ivan'])
		]).then((results) => results.forEach(ok));
		const id = ok(
			await hana.run([
				'send',
				'--to',
				ivan.address,
				'--subject',
				`Subject ${CANARY}`,
				'--body',
				`The body carries ${CANARY} too.`
			])
		).trim();

		// The canary is really in the message: otherwise the checks below would prove nothing.
		const opened = JSON.parse(ok(await ivan.run(['read', id, '--json'])));
		expect(opened.subject).toContain(CANARY);
		expect(opened.body).toContain(CANARY);

		// The scan does see what the relay stores: the envelope address is in its database.
		expect(filesContaining(relay.dataDir, hana.address).length).toBeGreaterThan(0);
		for (const secret of [CANARY, PASSPHRASE]) {
			expect(filesContaining(relay.dataDir, secret)).toEqual([]);
			expect(relay.logs.filter((line) => line.includes(secret))).toEqual([]);
		}

		// Closing the database folds the WAL into the main file: search that state as well.
		await relay.stop({ keep: true });
		relayStopped = true;
		for (const secret of [CANARY, PASSPHRASE]) {
			expect(filesContaining(relay.dataDir, secret)).toEqual([]);
		}
		rmSync(relay.dataDir, { recursive: true, force: true });
	});
});
