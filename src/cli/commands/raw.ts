import { positionals } from '../args';
import type { Command } from '../command';
import { printRaw } from '../output';

export const raw: Command = {
	name: 'raw',
	summary: 'print a message exactly as the relay stores it (armored OpenPGP)',
	help: `Usage: letterlock raw ID

Prints the stored OpenPGP message unchanged, e.g. to decrypt it with "gpg --decrypt" or
to see for yourself what the relay holds. Needs no passphrase while you are logged in.`,
	options: {},
	async run(context, args) {
		const [id] = positionals(args, ['the message ID']);
		const { address } = context.identity();
		const stored = await context.authenticated(() => context.relay.fetchMessage(address, id!));
		// Byte for byte what the relay holds: no newline is added or removed.
		printRaw(stored.message);
	}
};
