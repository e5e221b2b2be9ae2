// A relay the test owns: the built app, served as in playwright.config.ts, as its own process
// on its own port and data directory, so a test can kill it like a crash and start it again on the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStorage } from '../../src/lib/server/storage/open';
import { forgeDirectoryKey, newKey } from '../helpers/forge-key';

/** A port next to the suite's own (LETTERLOCK_E2E_PORT, as in playwright.config.ts), so that
 * suites run side by side with different ports never meet. */
export function sparePort(offset: number): number {
	return Number(process.env.LETTERLOCK_E2E_PORT ?? 4173) + offset;
}

export interface RelayProcess {
	origin: string;
	/** Starts (or starts again) the server and waits until it answers. */
	start(): Promise<void>;
	/** Kills the process with SIGKILL: no goodbye, as in a crash or a pulled plug. */
	kill(): Promise<void>;
	/** How many messages the relay stored from `address` (it knows the envelope sender). */
	messagesFrom(address: string): number;
	/** Publishes a key for `address` in the directory without an account, as an operator's
	 * import does: clients can encrypt to it, but the relay refuses mail for it. */
	importKey(address: string): Promise<string>;
	/** The attack pinning exists for: the operator swaps the directory key of `address` for one
	 * its owner never made (the account keeps its own). Returns the forged key's fingerprint. */
	forgeKey(address: string): Promise<string>;
}

export function relayProcess(options: {
	port: number;
	dataDir: string;
	/** The folder whose `build/` is served; this one unless a test serves a changed copy. */
	root?: string;
	/** More settings, e.g. another domain and peers for federation. */
	env?: Record<string, string>;
	/** Proof-of-work bits strangers' mail needs (LETTERLOCK_POW_BITS); none unless asked. */
	powBits?: number;
}): RelayProcess {
	const origin = `http://127.0.0.1:${options.port}`;
	let child: ChildProcess | null = null;
	return {
		origin,
		async start() {
			child = spawn(process.execPath, [resolve('scripts/serve.js')], {
				cwd: options.root ?? process.cwd(),
				env: {
					...process.env,
					PORT: String(options.port),
					HOST: '127.0.0.1',
					ORIGIN: origin,
					LETTERLOCK_DATA: options.dataDir,
					LETTERLOCK_DOMAIN: 'localhost',
					BODY_SIZE_LIMIT: '9M',
					// Every test signs up from 127.0.0.1; limits have their own tests in tests/relay.
					LETTERLOCK_RATE_LIMITS: 'registration:500/60',
					LETTERLOCK_POW_BITS: String(options.powBits ?? 0),
					// No network beyond loopback: other relays only through LETTERLOCK_PEERS.
					LETTERLOCK_DISCOVERY: 'peers',
					// Always the embedded SQLite store: the test reads it to count stored messages.
					DATABASE_URL: undefined,
					...options.env
				},
				stdio: 'ignore'
			});
			await waitUntilAnswering(origin, child);
		},
		async kill() {
			const running = child;
			child = null;
			if (!running || running.exitCode !== null) return;
			const exited = once(running, 'exit');
			running.kill('SIGKILL');
			await exited;
		},
		async importKey(address) {
			const { publicKey, fingerprint } = await newKey(address);
			const storage = await openSqliteStorage(options.dataDir);
			try {
				await storage.addDirectoryKey(address, fingerprint, publicKey, 'imported');
				return fingerprint;
			} finally {
				await storage.close();
			}
		},
		forgeKey(address) {
			return forgeDirectoryKey(options.dataDir, address);
		},
		messagesFrom(address) {
			// Read-write: after a SIGKILL only a writer may replay the write-ahead log it left.
			const db = new Database(join(options.dataDir, 'letterlock.sqlite'), { fileMustExist: true });
			try {
				const row = db.prepare('SELECT count(*) AS n FROM messages WHERE sender = ?').get(address);
				return (row as { n: number }).n;
			} finally {
				db.close();
			}
		}
	};
}

async function waitUntilAnswering(origin: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`The relay at ${origin} exited on start.`);
		const answered = await fetch(`${origin}/api/info`).then(
			(response) => response.ok,
			() => false
		);
		if (answered) return;
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`The relay at ${origin} did not answer within 30 seconds.`);
}
