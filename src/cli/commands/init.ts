import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { AddressSchema } from '../../lib/protocol/address';
import { positionals, requiredString, stringOption } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import { readPassphrase } from '../passphrase';
import { groupFingerprint, print } from '../output';

export const init: Command = {
	name: 'init',
	summary: 'create or import your key and register it with the relay',
	help: `Usage: letterlock init --address ADDR --name NAME [--key FILE]

Creates a new key for ADDR (or imports the armored secret key in FILE, e.g. from
"gpg --export-secret-keys --armor"), registers its public half with the relay, logs in,
and keeps the passphrase-locked key in the home directory.

  --address ADDR  your address on the relay, like alice@example.org
  --name NAME     the name shown to the people you write to (with --key: defaults to the key's)
  --key FILE      an existing OpenPGP secret key; its passphrase must be your Letterlock one`,
	options: {
		address: { type: 'string' },
		name: { type: 'string' },
		key: { type: 'string' }
	},
	async run(context, args) {
		positionals(args, []);
		const parsed = v.safeParse(AddressSchema, requiredString(args, 'address'));
		if (!parsed.success) throw new UsageError(parsed.issues[0].message);
		const address = parsed.output;
		const keyFile = stringOption(args, 'key');
		const name = (keyFile ? stringOption(args, 'name') : requiredString(args, 'name'))?.trim();
		if (!keyFile && !name) throw new UsageError('--name must not be empty.');
		const existing = context.home.readIdentity();
		if (existing) {
			throw new CliError(
				`${context.home.dir} already holds the identity ${existing.address}; choose another --home for a second one.`
			);
		}
		const armoredSecretKey = keyFile ? readKeyFile(keyFile) : null;
		const passphrase = await readPassphrase(context.env, { confirm: !keyFile });
		const identity = armoredSecretKey
			? await context.engine.importIdentity({ armoredSecretKey, passphrase, address })
			: await context.engine.generateIdentity({ name: name!, address, passphrase });
		await context.relay.register(address, identity.publicKey);
		// The identity is saved as soon as the relay holds the key, so a failed login below can be
		// retried by any later command instead of leaving a registered address without its key.
		context.home.writeIdentity({
			address,
			name: name || identity.name,
			fingerprint: identity.fingerprint,
			publicKey: identity.publicKey,
			lockedPrivateKey: identity.lockedPrivateKey,
			relay: context.relayUrl
		});
		await context.login();
		print(`Address:     ${address}`);
		print(`Fingerprint: ${groupFingerprint(identity.fingerprint)}`);
	}
};

function readKeyFile(path: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		throw new CliError(`Cannot read the key file ${path}: ${(error as Error).message}.`);
	}
}
