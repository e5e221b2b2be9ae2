// A whole old mailbox moves in once: `letterlock import` of a 300-letter mbox against a relay
// whose import limit is low, so the relay answers 429 along the way, files every letter exactly
// once; so does an import stopped halfway (Ctrl-C, or killed outright) and run again; and a
// second run of a finished import files nothing and says so. Counted and read at the relay.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { subjectsAtRelay as inboxSubjects } from './inbox-at-relay';
import { cliUser, ok, tempRoot, type CliUser } from './run-cli';

const LETTERS = 300;

/** Letter `n`; every tenth has no Message-ID, so it is known by its text. */
function letter(n: number): string {
	return [
		`From: Carol Example <carol${n % 7}@example.org>`,
		'To: alice@localhost',
		`Subject: Letter ${n}`,
		`Date: Tue, 03 Mar 2026 10:${String(n % 60).padStart(2, '0')}:00 +0000`,
		...(n % 10 === 0 ? [] : [`Message-ID: <letter-${n}@example.org>`]),
		'',
		`Body of letter ${n}.`,
		'From the start, a line mbox quotes.',
		''
	].join('\n');
}

/** The letters as an mbox (mboxrd: body lines starting "From " quoted). */
function mbox(): string {
	return Array.from(
		{ length: LETTERS },
		(_, n) =>
			`From carol@example.org Tue Mar  3 10:00:00 2026\n${letter(n).replace(/^From /gm, '>From ')}`
	).join('\n');
}

describe.each(backends())('letterlock import, interrupted and resumed (%s)', (backend) => {
	let relay: RunningRelay;
	let root: string;
	let file: string;

	beforeAll(async () => {
		// 30 letters at once, then 30 a second: a CLI faster than that meets 429 on the way.
		relay = await startRelay({ backend, rateLimits: { imports: { burst: 30, perMinute: 1800 } } });
		root = await tempRoot();
		file = join(root, 'old.mbox');
		writeFileSync(file, mbox());
	}, 60_000);

	afterAll(async () => {
		await relay?.stop();
		await rm(root, { recursive: true, force: true });
	});

	/** A person with a new key, who imports into an empty inbox. */
	async function person(name: string): Promise<CliUser> {
		const user = cliUser(relay.url, root, `${name}@localhost`);
		ok(await user.run(['init', '--address', user.address, '--name', name]));
		return user;
	}

	const subjectsAtRelay = (user: CliUser) => inboxSubjects(relay, user);

	const everyLetter = Array.from({ length: LETTERS }, (_, n) => `Letter ${n}`).sort();

	it('imports all 300 letters once, waiting out the rate limit; a second run imports nothing', async () => {
		const alice = await person('alice');
		const first = await alice.start(['import', file]).done;
		expect(first.code, first.stderr).toBe(0);
		expect(first.stdout.trim().split('\n')).toHaveLength(LETTERS);
		expect(first.stderr).toContain('The relay asks to slow down');
		expect(first.stderr).toContain(`Imported ${LETTERS} message(s) into your inbox.`);
		expect((await subjectsAtRelay(alice)).sort()).toEqual(everyLetter);

		const again = await alice.start(['import', file]).done;
		expect(again.code, again.stderr).toBe(0);
		expect(again.stdout).toBe('');
		expect(again.stderr).toContain(
			`All ${LETTERS} letters were imported before; nothing new to import.`
		);
		expect(await relay.storage.listMailbox(alice.address, 'inbox', 0, 10_000)).toHaveLength(
			LETTERS
		);
	}, 60_000);

	for (const signal of ['SIGINT', 'SIGKILL'] as const) {
		it(`stopped halfway by ${signal} and run again, files each letter exactly once`, async () => {
			const bob = await person(`bob-${signal.toLowerCase()}`);
			const run = bob.start(['import', file]);
			let printed = '';
			// Once: a second Ctrl-C ends the command at once, as it would for a person.
			const halfway = (chunk: string) => {
				printed += chunk;
				if (printed.split('\n').length <= LETTERS / 2) return;
				run.child.stdout!.off('data', halfway);
				run.child.kill(signal);
			};
			run.child.stdout!.on('data', halfway);
			const stopped = await run.done;
			expect(stopped.code).not.toBe(0);
			if (signal === 'SIGINT') {
				expect(stopped.stderr).toMatch(
					/Stopped after importing \d+ letter\(s\); run the same command again/
				);
			}
			const before = (await relay.storage.listMailbox(bob.address, 'inbox', 0, 10_000)).length;
			expect(before).toBeGreaterThanOrEqual(LETTERS / 2);
			expect(before).toBeLessThan(LETTERS);

			if (signal === 'SIGKILL') {
				// A crash after the relay filed a letter but before the ledger recorded it: the
				// ledger lacks its last ten letters, which the relay knows by their keys.
				const ledger = join(bob.home, 'imported-letters');
				const lines = readFileSync(ledger, 'utf8').trimEnd().split('\n');
				writeFileSync(ledger, `${lines.slice(0, -10).join('\n')}\n`);
			}
			const resumed = await bob.start(['import', file]).done;
			expect(resumed.code, resumed.stderr).toBe(0);
			expect(resumed.stderr).toContain('were imported before; importing the rest.');
			expect(resumed.stdout.trim().split('\n')).toHaveLength(LETTERS - before);
			expect((await subjectsAtRelay(bob)).sort()).toEqual(everyLetter);
		}, 60_000);
	}

	it('imports a folder of .eml files the same way, each once', async () => {
		const erin = await person('erin');
		const folder = join(root, 'old-folder');
		mkdirSync(folder);
		for (const n of [1, 2, 3, 10]) writeFileSync(join(folder, `${n}.eml`), letter(n));
		writeFileSync(join(folder, 'notes.txt'), 'not a letter');
		const first = await erin.start(['import', folder]).done;
		expect(first.code, first.stderr).toBe(0);
		expect((await subjectsAtRelay(erin)).sort()).toEqual([
			'Letter 1',
			'Letter 10',
			'Letter 2',
			'Letter 3'
		]);
		const again = await erin.start(['import', folder]).done;
		expect(again.stderr).toContain('All 4 letters were imported before; nothing new to import.');
	}, 60_000);
});
