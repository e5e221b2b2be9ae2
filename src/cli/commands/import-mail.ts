import { readFile } from 'node:fs/promises';
import { prepareMailFile } from '../../lib/client/mail-import';
import { positionals } from '../args';
import type { Command } from '../command';
import { CliError } from '../errors';
import { print, printNote } from '../output';

export const importMail: Command = {
	name: 'import',
	summary: 'bring mail from an .eml or mbox file into your inbox, encrypted',
	help: `Usage: letterlock import FILE

Reads FILE (one .eml message or an mbox of many) and files every message in your inbox on
the relay, marked "imported", so all your devices see it. PGP/MIME messages encrypted to
your key are kept as they are, with their signatures; mail that is not encrypted is
encrypted to your own key here before it is sent, so the relay never reads it. If any
message cannot be imported, nothing is. Prints the new message IDs.`,
	options: {},
	async run(context, args) {
		const [file] = positionals(args, ['the file to import']);
		const text = await readFile(file!, 'utf8').catch(() => {
			throw new CliError(`Cannot read ${file}; check the path.`);
		});
		await context.unlock();
		const prepared = await prepareMailFile(context.engine, text);
		const { address } = context.identity();
		for (const { from, message } of prepared) {
			const { id } = await context.authenticated(() =>
				context.relay.importMessage(address, from, message)
			);
			print(id);
		}
		printNote(`Imported ${prepared.length} message(s) into your inbox.`);
	}
};
