import { flag, positionals } from '../args';
import type { Command } from '../command';
import { mailJson, mailText } from '../mail-view';
import { print, printJson } from '../output';

export const read: Command = {
	name: 'read',
	summary: 'decrypt one message and check its signature',
	help: `Usage: letterlock read ID [--look-up] [--json]

Decrypts the message ID (from "letterlock list"), checks the sender's signature against
the key kept for them in your contacts, and prints it.

Reading asks the relay nothing about the addresses in the letter: a sender could put an
address of their own in To to learn when you read it. A sender or recipient who is not
among your contacts shows as "not looked up", and a stranger's signature cannot be checked
until you look their key up.

  --look-up  ask the directory for the key of every address in the letter (their relays may
             learn that you read it); keys seen for the first time are kept as contacts
  --json     print {id, from, fingerprint, signature, subject, body, to, date, …}`,
	options: { json: { type: 'boolean' }, 'look-up': { type: 'boolean' } },
	async run(context, args) {
		const [id] = positionals(args, ['the message ID']);
		const mailer = await context.mailer();
		const lookUp = flag(args, 'look-up');
		const mail = await context.authenticated(() => mailer.open({ id: id! }, { lookUp }));
		if (flag(args, 'json')) printJson(mailJson(mail));
		else print(mailText(mail));
	}
};
