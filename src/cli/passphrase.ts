// The passphrase comes from LETTERLOCK_PASSPHRASE (scripts, tests) or from a prompt on the
// terminal with echo off. It is never written to disk and never sent to the relay.
import { CliError } from './errors';

export async function readPassphrase(
	env: NodeJS.ProcessEnv,
	options: { confirm?: boolean } = {}
): Promise<string> {
	if (env.LETTERLOCK_PASSPHRASE !== undefined) return env.LETTERLOCK_PASSPHRASE;
	if (!process.stdin.isTTY) {
		throw new CliError(
			'No passphrase given: set LETTERLOCK_PASSPHRASE or run letterlock in a terminal.'
		);
	}
	const passphrase = await promptHidden('Passphrase: ');
	if (options.confirm && (await promptHidden('Repeat passphrase: ')) !== passphrase) {
		throw new CliError('The two passphrases differ; nothing was changed.');
	}
	return passphrase;
}

/** Reads one line in raw mode so nothing typed is echoed. The prompt goes to stderr, which keeps
 * stdout clean for output that scripts capture. */
function promptHidden(prompt: string): Promise<string> {
	const stdin = process.stdin;
	process.stderr.write(prompt);
	stdin.setRawMode(true);
	stdin.setEncoding('utf8');
	stdin.resume();
	return new Promise((resolve, reject) => {
		let value = '';
		const finish = (error?: Error) => {
			stdin.off('data', onData);
			stdin.setRawMode(false);
			stdin.pause();
			process.stderr.write('\n');
			if (error) reject(error);
			else resolve(value);
		};
		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\r' || char === '\n') return finish();
				// Ctrl-C and Ctrl-D: raw mode turns them into plain characters.
				if (char === '\u0003' || char === '\u0004') {
					return finish(new CliError('Cancelled; nothing was changed.'));
				}
				if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
				else if (char >= ' ') value += char;
			}
		};
		stdin.on('data', onData);
	});
}
