// Starts the built app (pages and relay in one process, served by scripts/serve.js as `npm start`
// does) on a loopback port, the way it runs in production, and stops it again.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
/** Whose build is served: this checkout's, or BENCH_APP_ROOT's (another checkout, built), to set
 * a branch against main with the same benchmark code. */
const APP_ROOT = process.env.BENCH_APP_ROOT || ROOT;

const UNLIMITED = ['login', 'registration', 'sending', 'lookup']
	.map((kind) => `${kind}:1000000000/1000000000`)
	.join(',');

export interface RunningApp {
	origin: string;
	/** The relay's data directory (SQLite file), removed on stop. */
	dataDir: string;
	stop(): Promise<void>;
}

/** `env` adds to the relay's settings, e.g. DATABASE_URL. */
export async function startApp(
	port: number,
	env: Record<string, string> = {}
): Promise<RunningApp> {
	if (!existsSync(join(APP_ROOT, 'build', 'index.js'))) {
		throw new Error('There is no build yet. Run `npm run build` (npm run bench does it for you).');
	}
	const origin = `http://127.0.0.1:${port}`;
	const dataDir = mkdtempSync(join(tmpdir(), 'letterlock-bench-'));
	// BENCH_CPU_PROFILE_DIR: each server writes a V8 CPU profile there when it stops (open it in
	// Chrome DevTools, or summarise it with `npx tsx bench/lib/profile-summary.ts FILE`).
	const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
	const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
	const child = spawn(process.execPath, [...profile, 'scripts/serve.js'], {
		cwd: APP_ROOT,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			LETTERLOCK_DATA: dataDir,
			LETTERLOCK_DOMAIN: 'localhost',
			BODY_SIZE_LIMIT: '9M',
			DATABASE_URL: '',
			// The benchmarks' clients all come from loopback and send as fast as they can: lift the
			// anti-abuse limits, which would otherwise be what gets measured.
			LETTERLOCK_RATE_LIMITS: UNLIMITED,
			// Loopback only, and no stranger's first letter needs work unless a benchmark asks.
			LETTERLOCK_DISCOVERY: 'peers',
			LETTERLOCK_POW_BITS: '0',
			...env
		},
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let errors = '';
	child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	const stop = async () => {
		if (child.exitCode === null) child.kill('SIGTERM');
		// A relay that does not finish its graceful shutdown in time is stopped the hard way, so a
		// benchmark never leaves a server behind.
		const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(force);
		rmSync(dataDir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) break;
		const ready = await fetch(`${origin}/api/info`).then(
			(response) => response.ok,
			() => false
		);
		if (ready) return { origin, dataDir, stop };
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await stop();
	throw new Error(`The app did not start on port ${port}. ${errors.trim()}`);
}
