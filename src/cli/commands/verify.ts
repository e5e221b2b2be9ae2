import { isValidAddress, normaliseAddress } from '../../lib/protocol/address';
import { positionals } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { groupFingerprint, print } from '../output';

export const verify: Command = {
	name: 'verify',
	summary: 'mark a contact verified after comparing their fingerprint with them',
	help: `Usage: letterlock verify ADDR FINGERPRINT

Ask ADDR for their fingerprint in person or by phone and give it here (in quotes if you
type it with spaces).
If it matches the key kept for them, or the key the relay serves now (after a change or in
a conflict), that key is marked verified and used from then on. A fingerprint that matches
no key is refused: do not write to them until you know why. Verified contacts go on your
relay's allow-list (as salted hashes), so their mail needs no proof-of-work stamp.`,
	options: {},
	async run(context, args) {
		const [input, fingerprint] = positionals(args, ['the address', 'the fingerprint']);
		if (!isValidAddress(input!)) {
			throw new UsageError(`“${input}” is not a complete address; write it like name@example.org.`);
		}
		const address = normaliseAddress(input!);
		const mailer = await context.mailer();
		const record = await mailer.verify(address, fingerprint!);
		print(`${address} is verified: ${groupFingerprint(record.fingerprint)}`);
		// Verified contacts may write without proof of work: the relay's allow-list follows.
		await context.authenticated(() => mailer.publishAllowList());
	}
};
