import { flag, positionals } from '../args';
import type { Command } from '../command';
import { mailJson, mailText } from '../mail-view';
import { print, printJson } from '../output';

export const read: Command = {
	name: 'read',
	summary: 'decrypt one message and check its signature',
	help: `Usage: letterlock read ID [--json]

Decrypts the message ID (from "letterlock list"), checks the sender's signature against
the key the directory serves, and prints it.

  --json  print {id, from, fingerprint, signature, subject, body, to, date, …}`,
	options: { json: { type: 'boolean' } },
	async run(context, args) {
		const [id] = positionals(args, ['the message ID']);
		const mailer = await context.mailer();
		const mail = await context.authenticated(() => mailer.open({ id: id! }));
		if (flag(args, 'json')) printJson(mailJson(mail));
		else print(mailText(mail));
	}
};
