// Entry point of the `letterlock` command line: finds the command, runs it, and turns every
// failure into one plain sentence on stderr with exit code 1 (2 when the command line itself
// is wrong). Stack traces only with LETTERLOCK_DEBUG=1: they help developers, not users.
import { MailFileError } from '../lib/client/mail-file';
import { LetterlockError } from '../lib/errors';
import { parse, splitCommand, stringOption } from './args';
import type { Command } from './command';
import { backup } from './commands/backup';
import { contacts } from './commands/contacts';
import { exportKey } from './commands/export-key';
import { exportMail } from './commands/export-mail';
import { importMail } from './commands/import-mail';
import { init } from './commands/init';
import { list } from './commands/list';
import { lists } from './commands/lists';
import { lookup } from './commands/lookup';
import { raw } from './commands/raw';
import { read } from './commands/read';
import { restore } from './commands/restore';
import { save } from './commands/save';
import { send } from './commands/send';
import { verify } from './commands/verify';
import { Context } from './context';
import { CliError, UsageError } from './errors';
import { defaultHome, Home } from './home';
import { errorText, print, printError, printNote, table } from './output';

const COMMANDS: Command[] = [
	init,
	send,
	list,
	read,
	save,
	raw,
	exportMail,
	importMail,
	exportKey,
	lookup,
	contacts,
	lists,
	verify,
	backup,
	restore
];

const GLOBAL_HELP = `Global options:
  --relay URL  the relay (default: $LETTERLOCK_RELAY, else the relay used at init,
               else http://localhost:3000)
  --home DIR   where your key and session live (default: $LETTERLOCK_HOME or ~/.letterlock)
  --help       help for a command

The passphrase is read from $LETTERLOCK_PASSPHRASE, or asked for on the terminal.`;

function usage(): string {
	return [
		'Usage: letterlock [--relay URL] [--home DIR] COMMAND [options]',
		'',
		'End-to-end encrypted mail on the command line.',
		'',
		'Commands:',
		table(COMMANDS.map((command) => [`  ${command.name}`, command.summary])),
		'',
		GLOBAL_HELP,
		'',
		'Run "letterlock COMMAND --help" for the options of a command.'
	].join('\n');
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
	const { name, rest } = splitCommand(argv);
	if (name === null) {
		const args = parse(rest, {});
		if (args.values.help) {
			print(usage());
			return 0;
		}
		throw new UsageError('Missing the command; run "letterlock --help" to see them.');
	}
	const command = COMMANDS.find((candidate) => candidate.name === name);
	if (!command) {
		throw new UsageError(`Unknown command “${name}”; run "letterlock --help" to see them.`);
	}
	const args = parse(rest, command.options);
	if (args.values.help) {
		print(`${command.help}\n\n${GLOBAL_HELP}`);
		return 0;
	}
	const home = new Home(stringOption(args, 'home') ?? defaultHome(env));
	const relay = stringOption(args, 'relay') ?? (env.LETTERLOCK_RELAY || undefined);
	await command.run(new Context(home, relay, env), args);
	return 0;
}

/** The sentence to show, and the exit code, for anything a command throws. */
function explain(error: unknown): { message: string; code: number } {
	if (error instanceof UsageError) return { message: error.message, code: 2 };
	if (error instanceof LetterlockError) return { message: errorText(error), code: 1 };
	if (error instanceof CliError || error instanceof MailFileError) {
		return { message: error.message, code: 1 };
	}
	const detail = error instanceof Error ? error.message : String(error);
	return { message: `Something unexpected went wrong: ${detail}`, code: 1 };
}

async function run(): Promise<void> {
	try {
		process.exitCode = await main(process.argv.slice(2), process.env);
	} catch (error) {
		const { message, code } = explain(error);
		printError(message);
		if (process.env.LETTERLOCK_DEBUG === '1' && error instanceof Error && error.stack) {
			printNote(error.stack);
		}
		process.exitCode = code;
	}
}

await run();
