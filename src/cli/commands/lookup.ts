import { RelayError } from '../../lib/client/relay-client';
import { normaliseAddress, isValidAddress } from '../../lib/protocol/address';
import { flag, positionals } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';
import { groupFingerprint, print, printJson, safeLine } from '../output';

export const lookup: Command = {
	name: 'lookup',
	summary: "show the key(s) the relay's directory serves for an address",
	help: `Usage: letterlock lookup ADDR [--json]

Shows every key the directory serves for ADDR with its fingerprint. Compare the
fingerprint with its owner (in person or by phone) before trusting it. When several keys
claim the address, Letterlock says so and will not choose one.

  --json  print {address, keys: [{fingerprint, publicKey, createdAt}], conflict}`,
	options: { json: { type: 'boolean' } },
	async run(context, args) {
		const [input] = positionals(args, ['the address']);
		if (!isValidAddress(input!)) {
			throw new UsageError(`“${input}” is not a complete address; write it like name@example.org.`);
		}
		const address = normaliseAddress(input!);
		const answer = await context.relay.lookup(address).catch((error: unknown) => {
			if (error instanceof RelayError && error.status === 404) {
				throw new CliError(`The relay has no key for ${address}.`);
			}
			throw error;
		});
		if (flag(args, 'json')) {
			printJson(answer);
			return;
		}
		print(safeLine(answer.address));
		for (const key of answer.keys) {
			const info = await context.engine.inspectPublicKey(key.publicKey).catch(() => null);
			const userIds = info
				? info.names.map((name, index) => `${name} <${info.addresses[index]}>`)
				: [];
			print(`  ${groupFingerprint(key.fingerprint)}  added ${key.createdAt.slice(0, 10)}`);
			for (const userId of userIds) print(`    ${safeLine(userId)}`);
			if (info && !info.usable) print('    unusable: expired, revoked or badly signed');
		}
		if (answer.conflict) {
			print(
				`Conflict: ${answer.keys.length} keys claim ${answer.address}; Letterlock will not choose one. Compare fingerprints with the owner in person or by phone.`
			);
		}
	}
};
