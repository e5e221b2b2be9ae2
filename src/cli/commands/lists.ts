import { isValidAddress, normaliseAddress } from '../../lib/protocol/address';
import { flag } from '../args';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { print, printJson, table } from '../output';

const ANSWERS = { accept: 'accepted', decline: 'declined' } as const;

export const lists: Command = {
	name: 'lists',
	summary: 'see the mailing lists that name you, and accept or decline them',
	help: `Usage: letterlock lists [--json]
       letterlock lists accept|decline LIST

Without a subcommand, shows the mailing lists on your relay that name you and your answer:
invited (their mail does not reach you until you accept), accepted or declined.
"accept LIST" lets the list's mail into your inbox; "decline LIST" refuses it, or leaves a
list you accepted before.

  --json  print [{list, owner, status}]`,
	options: { json: { type: 'boolean' } },
	async run(context, args) {
		const [subcommand, input, ...extra] = args.positionals;
		if (subcommand === undefined) {
			const memberships = await context.authenticated(() => context.relay.memberships());
			if (flag(args, 'json')) {
				printJson(memberships);
				return;
			}
			if (memberships.length === 0) {
				print('No mailing list names you.');
				return;
			}
			print(table(memberships.map((entry) => [entry.list, entry.status, `by ${entry.owner}`])));
			return;
		}
		if (subcommand !== 'accept' && subcommand !== 'decline') {
			throw new UsageError(`Unknown subcommand “${subcommand}”; use accept or decline.`);
		}
		if (input === undefined) throw new UsageError('Missing the list’s address.');
		if (extra.length > 0) throw new UsageError(`Unexpected argument “${extra[0]}”.`);
		if (!isValidAddress(input)) {
			throw new UsageError(`“${input}” is not a complete address; write it like team@example.org.`);
		}
		const list = normaliseAddress(input);
		const status = ANSWERS[subcommand];
		await context.authenticated(() => context.relay.answerList(list, status));
		print(
			status === 'accepted'
				? `Mail to ${list} now reaches your inbox.`
				: `Mail to ${list} no longer reaches you.`
		);
	}
};
