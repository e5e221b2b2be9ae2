// Runs the real `letterlock` command as a child process, exactly as a user would, against a
// relay started by the test. Each run costs a Node + tsx start (~0.4 s), so tests batch their
// checks around as few runs as they can.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchMemory } from '../helpers/peak-memory';
import { startRelay, type RunningRelay } from '../helpers/relay-server';

const BIN = fileURLToPath(new URL('../../bin/letterlock.js', import.meta.url));

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
	/** With `maxRssBytes`: the command's peak resident memory, and whether the cap killed it. */
	memory?: { peakBytes: number; exceeded: boolean };
}

export interface CliRunOptions {
	/** Kill the command once its resident memory passes this many bytes. */
	maxRssBytes?: number;
}

export interface CliUser {
	address: string;
	home: string;
	passphrase: string;
	/** Runs `letterlock --relay URL --home HOME ARGS…` with this user's passphrase. */
	run(args: string[], env?: NodeJS.ProcessEnv, options?: CliRunOptions): Promise<CliResult>;
	/** The same, for a long command a test watches or interrupts while it runs. */
	start(args: string[], env?: NodeJS.ProcessEnv): RunningCli;
}

export interface RunningCli {
	child: ChildProcess;
	/** Settles when the command ends; `code` is 128 + the signal's number if one ended it. */
	done: Promise<CliResult>;
}

/** The test's environment without what could leak a developer's own home or relay in. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const base = { ...process.env };
	// The caller's environment must not leak into a test, e.g. a developer's own home or relay.
	for (const name of [
		'LETTERLOCK_HOME',
		'LETTERLOCK_RELAY',
		'LETTERLOCK_PASSPHRASE',
		'LETTERLOCK_DEBUG'
	]) {
		delete base[name];
	}
	return { ...base, ...env };
}

export function runCli(
	args: string[],
	env: NodeJS.ProcessEnv = {},
	options: CliRunOptions = {}
): Promise<CliResult> {
	return new Promise((resolve) => {
		const child = execFile(
			process.execPath,
			[BIN, ...args],
			{ env: cleanEnv(env), encoding: 'utf8', timeout: 20_000 },
			(error, stdout, stderr) => {
				watch?.stop();
				resolve({
					code: error ? Number(error.code ?? 1) : 0,
					stdout,
					stderr,
					...(watch && { memory: { peakBytes: watch.peakBytes(), exceeded: watch.exceeded() } })
				});
			}
		);
		const watch =
			options.maxRssBytes === undefined ? undefined : watchMemory(child, options.maxRssBytes);
		// No TTY and no input: a passphrase prompt must fail instead of waiting.
		child.stdin?.end();
	});
}

/** Starts `letterlock ARGS…` without a time limit (the test bounds it), stdin closed. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
	const child = spawn(process.execPath, [BIN, ...args], {
		env: cleanEnv(env),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: string) => (stdout += chunk));
	child.stderr.on('data', (chunk: string) => (stderr += chunk));
	const done = new Promise<CliResult>((resolve) => {
		child.on('close', (code, signal) => {
			resolve({ code: code ?? 128 + (signal ? osConstants.signals[signal] : 0), stdout, stderr });
		});
	});
	return { child, done };
}

/** A temporary directory for the homes of a test file's users; remove it in afterAll. */
export function tempRoot(): Promise<string> {
	return mkdtemp(join(tmpdir(), 'letterlock-cli-'));
}

/** A user whose home is `root/ADDRESS` (created by `init`, as it would be for a person). */
export function cliUser(
	relayUrl: string,
	root: string,
	address: string,
	passphrase = 'correct horse battery staple'
): CliUser {
	const home = join(root, address);
	const fullArgs = (args: string[]) => ['--relay', relayUrl, '--home', home, ...args];
	const fullEnv = (env: NodeJS.ProcessEnv) => ({ LETTERLOCK_PASSPHRASE: passphrase, ...env });
	return {
		address,
		home,
		passphrase,
		run: (args, env = {}, options = {}) => runCli(fullArgs(args), fullEnv(env), options),
		start: (args, env = {}) => startCli(fullArgs(args), fullEnv(env))
	};
}

/** Fails with the command's own output, which says far more than "expected 1 to be 0". */
export function ok(result: CliResult): string {
	if (result.code !== 0) {
		throw new Error(`letterlock exited with ${result.code}:\n${result.stderr}${result.stdout}`);
	}
	return result.stdout;
}

/** A test file's relay and the people using it from their own homes. */
export interface CliWorld {
	relay: RunningRelay;
	root: string;
	users: CliUser[];
	/** Stops the relay and removes every home. */
	stop(): Promise<void>;
}

/** Starts a relay (SQLite) with a user for each address; `init` makes their keys when asked. */
export async function cliWorld(
	addresses: string[],
	options: { init: boolean; powBits?: number } = { init: true }
): Promise<CliWorld> {
	const relay = await startRelay({ backend: 'sqlite', powBits: options.powBits });
	const root = await tempRoot();
	const users = addresses.map((address) => cliUser(relay.url, root, address));
	if (options.init) {
		await Promise.all(
			users.map(async (user) =>
				ok(await user.run(['init', '--address', user.address, '--name', user.address]))
			)
		);
	}
	return {
		relay,
		root,
		users,
		stop: async () => {
			await relay.stop();
			rmSync(root, { recursive: true, force: true });
		}
	};
}
