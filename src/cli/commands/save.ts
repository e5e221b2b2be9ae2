import { mkdir } from 'node:fs/promises';
import { positionals, requiredString } from '../args';
import type { Command } from '../command';
import { saveAttachment } from '../attachment-files';
import { print, printNote } from '../output';

export const save: Command = {
	name: 'save',
	summary: "save a message's attachments, checked and decrypted",
	help: `Usage: letterlock save ID --out DIR

Fetches the attachments of message ID block by block, checks each block against the
signed message, decrypts it and writes the files into DIR. Prints each file's path.

  --out DIR  the folder to write into (created if missing)`,
	options: { out: { type: 'string' } },
	async run(context, args) {
		const [id] = positionals(args, ['the message ID']);
		const folder = requiredString(args, 'out');
		const mailer = await context.mailer();
		const mail = await context.authenticated(() => mailer.open({ id: id! }));
		const files = mail.attachments.filter((attachment) => attachment.manifest);
		if (files.length === 0) {
			printNote('This message has no attachments to save.');
			return;
		}
		await mkdir(folder, { recursive: true });
		for (const file of files) {
			const path = await context.authenticated(() =>
				saveAttachment(file.manifest!, folder, (sink) =>
					mailer.receiveAttachment(file.manifest!, sink)
				)
			);
			print(path);
		}
	}
};
