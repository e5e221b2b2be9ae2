import { readFileSync } from 'node:fs';
import { fileSource } from '../attachment-files';
import { positionals, requiredString, stringList, stringOption } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import { print } from '../output';

export const send: Command = {
	name: 'send',
	summary: 'sign, encrypt and send a message',
	help: `Usage: letterlock send --to ADDR [--to ADDR…] --subject TEXT (--body TEXT | --body-file FILE)
                      [--attach FILE…]

Signs the message with your key and encrypts it to every recipient and to yourself; the
subject travels inside the encryption. Prints the message id.

  --to ADDR         a recipient; repeat for several
  --subject TEXT    the subject line
  --body TEXT       the message text
  --body-file FILE  read the message text from FILE ("-" for standard input)
  --attach FILE     attach FILE, of any size; repeat for several. It is encrypted once in
                    8 MiB blocks and uploaded before the message`,
	options: {
		to: { type: 'string', multiple: true },
		subject: { type: 'string' },
		body: { type: 'string' },
		'body-file': { type: 'string' },
		attach: { type: 'string', multiple: true }
	},
	async run(context, args) {
		positionals(args, []);
		const to = stringList(args, 'to');
		if (to.length === 0) throw new UsageError('Missing --to: add at least one recipient.');
		const subject = requiredString(args, 'subject');
		const body = readBody(stringOption(args, 'body'), stringOption(args, 'body-file'));
		const attachments = stringList(args, 'attach').map(fileSource);
		const mailer = await context.mailer();
		const sent = await context.authenticated(() => mailer.send({ to, subject, body, attachments }));
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
