// A throwaway GnuPG home for interoperability tests: real gpg, no network, no pinentry. The
// passphrase comes in on the command line (loopback pinentry), fine for a test key only.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GpgResult {
	code: number;
	stdout: string;
	stderr: string;
}

function exec(
	file: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	input = ''
): Promise<GpgResult> {
	return new Promise((resolve) => {
		const child = execFile(
			file,
			args,
			{ env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 },
			(error, stdout, stderr) => {
				resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
			}
		);
		// A command that does not read its input (e.g. gpg-wks-client) may exit before we finish
		// writing it; the exit code and stderr already tell how it went, so EPIPE is not news.
		child.stdin?.on('error', () => undefined);
		child.stdin?.end(input);
	});
}

export class Gpg {
	private constructor(
		readonly home: string,
		readonly passphrase: string
	) {}

	static async create(passphrase: string): Promise<Gpg> {
		// Short path: gpg-agent's socket lives in the home and socket paths are length-limited.
		const home = await mkdtemp(join(tmpdir(), 'llgpg-'));
		return new Gpg(home, passphrase);
	}

	/** `gpg --batch` with loopback pinentry; fails the test with gpg's own message. */
	async run(args: string[], input = ''): Promise<GpgResult> {
		const result = await this.try(args, input);
		if (result.code !== 0) {
			throw new Error(`gpg ${args.join(' ')} exited with ${result.code}:\n${result.stderr}`);
		}
		return result;
	}

	try(args: string[], input = ''): Promise<GpgResult> {
		return exec(
			'gpg',
			[
				'--batch',
				'--no-tty',
				'--pinentry-mode',
				'loopback',
				'--passphrase',
				this.passphrase,
				'--no-auto-key-retrieve',
				...args
			],
			{ GNUPGHOME: this.home },
			input
		);
	}

	/** Primary key fingerprints in the keyring, from the machine-readable listing. */
	async fingerprints(secret = false): Promise<string[]> {
		const { stdout } = await this.run([
			'--with-colons',
			secret ? '--list-secret-keys' : '--list-keys'
		]);
		const lines = stdout.split('\n');
		return lines.flatMap((line, index) =>
			/^(pub|sec):/.test(line) ? [lines[index + 1]!.split(':')[9]!] : []
		);
	}

	/** Where gpg-wks-client lives differs between distributions; gpgconf knows. */
	async wkdHash(address: string): Promise<string> {
		const dirs = await exec('gpgconf', ['--list-dirs', 'libexecdir'], {});
		const client = join(dirs.stdout.trim(), 'gpg-wks-client');
		const result = await exec(client, ['--print-wkd-hash', address], { GNUPGHOME: this.home });
		if (result.code !== 0) throw new Error(`gpg-wks-client failed:\n${result.stderr}`);
		return result.stdout.trim().split(/\s+/)[0]!;
	}

	async dispose(): Promise<void> {
		await exec('gpgconf', ['--kill', 'gpg-agent'], { GNUPGHOME: this.home });
		await rm(this.home, { recursive: true, force: true });
	}
}
