import { readFileSync } from 'node:fs';
import { positionals, requiredString, stringList, stringOption } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import { print } from '../output';

export const send: Command = {
	name: 'send',
	summary: 'sign, encrypt and send a message',
	help: `Usage: letterlock send --to ADDR [--to ADDR…] --subject TEXT (--body TEXT | --body-file FILE)

Signs the message with your key and encrypts it to every recipient and to yourself; the
subject travels inside the encryption. Prints the message id.

  --to ADDR         a recipient; repeat for several
  --subject TEXT    the subject line
  --body TEXT       the message text
  --body-file FILE  read the message text from FILE ("-" for standard input)`,
	options: {
		to: { type: 'string', multiple: true },
		subject: { type: 'string' },
		body: { type: 'string' },
		'body-file': { type: 'string' }
	},
	async run(context, args) {
		positionals(args, []);
		const to = stringList(args, 'to');
		if (to.length === 0) throw new UsageError('Missing --to: add at least one recipient.');
		const subject = requiredString(args, 'subject');
		const body = readBody(stringOption(args, 'body'), stringOption(args, 'body-file'));
		const mailer = await context.mailer();
		const sent = await context.authenticated(() => mailer.send({ to, subject, body }));
		print(sent.id);
		process.stderr.write(`Sent to ${sent.recipients.join(', ')}.\n`);
	}
};

function readBody(body: string | undefined, file: string | undefined): string {
	if ((body === undefined) === (file === undefined)) {
		throw new UsageError('Give the message text with either --body or --body-file.');
	}
	if (body !== undefined) return body;
	try {
		return readFileSync(file === '-' ? 0 : file!, 'utf8');
	} catch (error) {
		throw new CliError(`Cannot read ${file}: ${(error as Error).message}.`);
	}
}
