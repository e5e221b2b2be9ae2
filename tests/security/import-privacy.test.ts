// Importing an old mailbox tells the relay nothing about which letters it holds: no Message-ID,
// subject or text crosses in the clear, and the key that names each letter (so that a retry
// files it once) is a digest keyed by a secret in the person's home, not a hash anyone could
// compute from a letter; two people importing the same letter send unrelated keys. A relay that
// keeps answering "slow down" delays the import and never ends it.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliUser, ok, tempRoot, type CliUser } from '../cli/run-cli';
import { startHostileRelay } from '../helpers/hostile-relay';

const LETTERS = [
	'From: Carol <carol@example.org>\nSubject: Divorce papers\nMessage-ID: <secret-1@lawyer.example>\n\nSee attached.\n',
	'From: Carol <carol@example.org>\nSubject: Clinic results\nMessage-ID: <secret-2@clinic.example>\n\nAll fine.\n',
	'From: Carol <carol@example.org>\nSubject: No id here\n\nA letter without a Message-ID.\n'
];
const MBOX = LETTERS.map((text) => `From carol@example.org Tue Mar  3 10:00:00 2026\n${text}`).join(
	'\n'
);

describe('import and the relay', () => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let root: string;
	let file: string;

	beforeAll(async () => {
		setup = await startHostileRelay({ backend: 'sqlite' });
		root = await tempRoot();
		file = join(root, 'old.mbox');
		writeFileSync(file, MBOX);
	});
	afterAll(async () => {
		await setup?.stop();
		await rm(root, { recursive: true, force: true });
	});

	async function person(name: string): Promise<CliUser> {
		const user = cliUser(setup.hostile.url, root, `${name}@localhost`);
		ok(await user.run(['init', '--address', user.address, '--name', name]));
		return user;
	}

	/** The Idempotency-Keys of the imports made since `mark`. */
	const importKeys = (mark: number) =>
		setup.hostile
			.since(mark)
			.filter((request) => request.path.endsWith('/imports'))
			.map((request) => request.headers['idempotency-key']);

	it('learns no Message-ID, subject or text, and no key it could compute from a letter', async () => {
		const alice = await person('alice');
		const mark = setup.hostile.requests.length;
		ok(await alice.run(['import', file]));
		const seen = setup.hostile.since(mark);
		const wire = seen.map((request) => JSON.stringify(request)).join('\n');
		for (const secret of [
			'secret-1@lawyer.example',
			'Divorce papers',
			'Clinic results',
			'All fine'
		]) {
			expect(wire).not.toContain(secret);
		}
		const keys = importKeys(mark);
		expect(keys).toHaveLength(3);
		const computable = [
			'<secret-1@lawyer.example>',
			'<secret-2@clinic.example>',
			...LETTERS
		].flatMap((text) =>
			['sha256', 'sha1', 'md5'].map((hash) => createHash(hash).update(text).digest('hex'))
		);
		for (const key of keys) {
			expect(key).toMatch(/^[0-9a-f]{64}$/);
			expect(computable).not.toContain(key);
		}

		// Bob imports the very same file: his keys share nothing with Alice's.
		const bob = await person('bob');
		const bobMark = setup.hostile.requests.length;
		ok(await bob.run(['import', file]));
		const bobKeys = importKeys(bobMark);
		expect(bobKeys).toHaveLength(3);
		expect(bobKeys.filter((key) => keys.includes(key))).toEqual([]);
	});

	it('a relay that keeps saying "slow down" delays the import, which then completes', async () => {
		const carol = await person('carol');
		setup.hostile.lie({
			method: 'POST',
			path: /\/imports$/,
			times: 3,
			answer: () => ({
				status: 429,
				headers: { 'retry-after': '1' },
				json: { error: { kind: 'rate-limited', message: 'Slow down, please.' } }
			})
		});
		const result = await carol.run(['import', file]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toContain('The relay asks to slow down');
		// In this app's words, from the kind: the relay's own sentence is not shown.
		expect(result.stderr).not.toContain('Slow down, please.');
		expect(result.stdout.trim().split('\n')).toHaveLength(3);
		expect(await setup.relay.storage.listMailbox(carol.address, 'inbox', 0, 100)).toHaveLength(3);
	}, 30_000);
});
