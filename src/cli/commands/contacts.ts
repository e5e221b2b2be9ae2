import { flag, positionals } from '../args';
import type { Command } from '../command';
import { groupFingerprint, print, printJson, table } from '../output';

export const contacts: Command = {
	name: 'contacts',
	summary: 'list the people you know, with the key kept for each and its trust state',
	help: `Usage: letterlock contacts [--json]

Lists every contact with the key this home keeps for them (pinned the first time you wrote
to them or read their mail) and its trust state, checked against the relay's directory now:
unverified, verified, changed (the relay now serves another key), conflict (several keys
claim the address) or revoked (the key is withdrawn or expired).

  --json  print [{address, fingerprint, trust, servedFingerprints, verifiedAt}]`,
	options: { json: { type: 'boolean' } },
	async run(context, args) {
		positionals(args, []);
		const mailer = await context.mailer();
		const records = await mailer.contacts.list();
		const rows = await Promise.all(
			records.map(async (record) => {
				const { trust, pinned, served } = await mailer.assess(record.address);
				return {
					address: record.address,
					fingerprint: pinned?.fingerprint ?? record.fingerprint,
					trust,
					servedFingerprints: served.map((key) => key.fingerprint),
					verifiedAt: pinned?.verifiedAt ?? null
				};
			})
		);
		if (flag(args, 'json')) {
			printJson(rows);
			return;
		}
		if (rows.length === 0) {
			print(
				'No contacts yet: they are added when you write to someone, or read their mail with --look-up.'
			);
			return;
		}
		print(table(rows.map((row) => [row.address, row.trust, groupFingerprint(row.fingerprint)])));
	}
};
