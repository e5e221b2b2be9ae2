import { flag, positionals } from '../args';
import type { Command } from '../command';
import { print } from '../output';

export const exportKey: Command = {
	name: 'export-key',
	summary: 'print your public key, or your passphrase-locked secret key',
	help: `Usage: letterlock export-key [--secret]

Prints your armored public key, for example for "gpg --import".

  --secret  print the secret key instead, still locked with your passphrase (a backup, or a
            way to move the key to another device or to GnuPG)`,
	options: { secret: { type: 'boolean' } },
	async run(context, args) {
		positionals(args, []);
		const identity = context.identity();
		print(flag(args, 'secret') ? identity.lockedPrivateKey : identity.publicKey);
	}
};
