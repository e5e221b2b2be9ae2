// Group commit keeps its promise under a crash: the built relay (scripts/serve.js, SQLite) takes
// many concurrent sends, which it stores in shared transactions (server/send-batcher.ts), and is
// killed with SIGKILL while sends are still arriving. Every send it acknowledged with 201 is there
// after the restart; the ones it never answered may or may not be.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import type { RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn } from '../relay/support';
import { relayProcess, sparePort } from './relay-process';

const IN_FLIGHT = 32;
/** Acknowledged sends before the plug is pulled, with IN_FLIGHT more on their way. */
const ACKNOWLEDGED_BEFORE_KILL = 150;

test('every send acknowledged before a kill -9 is stored after the restart', async () => {
	test.setTimeout(120_000);
	const dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-crash-'));
	const relay = relayProcess({
		port: sparePort(21),
		dataDir,
		env: { LETTERLOCK_RATE_LIMITS: 'registration:500/60,sending:100000/60' }
	});
	try {
		await relay.start();
		// The helpers speak to anything with a URL.
		const target = { url: relay.origin } as RunningRelay;
		const alice = await register(target, 'alice@localhost');
		const bob = await register(target, 'bob@localhost');
		const token = await signIn(target, 'alice@localhost', alice);
		const body = JSON.stringify({
			to: ['bob@localhost'],
			message: await encryptFor([bob, alice], 'sent just before the crash')
		});

		const acknowledged: string[] = [];
		let killing: Promise<void> | undefined;
		const sender = async () => {
			while (!killing) {
				const answer = await fetch(`${relay.origin}/api/messages`, {
					method: 'POST',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body
				}).catch(() => undefined);
				// Refused connections once the relay is gone; anything else is a failure of its own.
				if (!answer) continue;
				if (answer.status !== 201 && !killing) {
					throw new Error(`The relay answered ${answer.status}: ${await answer.text()}`);
				}
				if (answer.status !== 201) continue;
				acknowledged.push(((await answer.json()) as { id: string }).id);
				if (acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL) killing ??= relay.kill();
			}
		};
		await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
		await killing;
		const answeredBeforeKill = [...acknowledged];

		await relay.start();
		const db = new Database(join(dataDir, 'letterlock.sqlite'), { readonly: true });
		const stored = new Set(
			(db.prepare('SELECT id FROM messages').all() as { id: string }[]).map((row) => row.id)
		);
		db.close();
		expect(answeredBeforeKill.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);
		expect(answeredBeforeKill.filter((id) => !stored.has(id))).toEqual([]);
		// And the relay goes on: Bob can read what was acknowledged.
		const bobToken = await signIn(target, 'bob@localhost', bob);
		const fetched = await api(
			target,
			'GET',
			`/api/mailboxes/bob@localhost/messages/${answeredBeforeKill.at(-1)}`,
			{ token: bobToken }
		);
		expect(fetched.status).toBe(200);
	} finally {
		await relay.kill();
		rmSync(dataDir, { recursive: true, force: true });
	}
});
