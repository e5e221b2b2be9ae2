// The passphrase comes from LETTERLOCK_PASSPHRASE (scripts, tests) or from a prompt on the
// terminal with echo off. It is never written to disk and never sent to the relay.
import { CliError } from './errors';
import { printNote, printPrompt } from './output';

export async function readPassphrase(
	env: NodeJS.ProcessEnv,
	options: { confirm?: boolean } = {}
): Promise<string> {
	const passphrase = await readSecret(env, 'LETTERLOCK_PASSPHRASE', 'passphrase');
	if (
		options.confirm &&
		env.LETTERLOCK_PASSPHRASE === undefined &&
		(await promptHidden('Repeat passphrase: ')) !== passphrase
	) {
		throw new CliError('The two passphrases differ; nothing was changed.');
	}
	return passphrase;
}

/** A secret from the environment variable `variable`, or typed at a prompt with echo off. */
export async function readSecret(
	env: NodeJS.ProcessEnv,
	variable: string,
	what: string
): Promise<string> {
	const given = env[variable];
	if (given !== undefined) return given;
	if (!process.stdin.isTTY) {
		throw new CliError(`No ${what} given: set ${variable} or run letterlock in a terminal.`);
	}
	return promptHidden(`${what[0]!.toUpperCase()}${what.slice(1)}: `);
}

/** Reads one line in raw mode so nothing typed is echoed. The prompt goes to stderr, which keeps
 * stdout clean for output that scripts capture. */
function promptHidden(prompt: string): Promise<string> {
	const stdin = process.stdin;
	printPrompt(prompt);
	stdin.setRawMode(true);
	stdin.setEncoding('utf8');
	stdin.resume();
	return new Promise((resolve, reject) => {
		let value = '';
		const finish = (error?: Error) => {
			stdin.off('data', onData);
			stdin.setRawMode(false);
			stdin.pause();
			printNote('');
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
