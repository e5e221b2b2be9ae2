import { readFileSync } from 'node:fs';
import { fileSource } from '../attachment-files';
import { positionals, requiredString, stringList, stringOption } from '../args';
import type { Command } from '../command';
import { ListChangedError, MailerError, type Mailer } from '../../lib/client/mailer';
import { normaliseAddress } from '../../lib/protocol/address';
import { CliError, UsageError } from '../errors';
import { groupFingerprint, print, printNote } from '../output';

export const send: Command = {
	name: 'send',
	summary: 'sign, encrypt and send a message',
	help: `Usage: letterlock send --to ADDR [--to ADDR…] --subject TEXT (--body TEXT | --body-file FILE)
                      [--attach FILE…]

Signs the message with your key and encrypts it to every recipient and to yourself; the
subject travels inside the encryption. Prints the message id.

  --to ADDR         a recipient; repeat for several
  --subject TEXT    the subject line
  --body TEXT       the message text
  --body-file FILE  read the message text from FILE ("-" for standard input)
  --attach FILE     attach FILE, of any size; repeat for several. It is encrypted once in
                    8 MiB blocks and uploaded before the message
  --keep-old-key ADDR
                    ADDR's key changed (or the relay no longer serves it) since you last
                    wrote: encrypt to the key kept before anyway (repeat for several)
  --accept-list-change LIST
                    the members of the mailing list LIST changed since you last wrote to
                    it: accept who is on it now (shown before sending)

To people who have not written to you or verified you, the relay may ask for a proof-of-
work stamp; it is computed before sending (a few seconds).

A mailing list's members are printed before sending, with their keys: each of them can read
the message. The members are kept at the first message to a list; when the relay names
others later, nothing is sent until you accept them with --accept-list-change.

Sending stops when the relay serves a recipient a different key than the one kept for
them, or several keys: compare fingerprints with them, then "letterlock verify".`,
	options: {
		to: { type: 'string', multiple: true },
		subject: { type: 'string' },
		body: { type: 'string' },
		'body-file': { type: 'string' },
		attach: { type: 'string', multiple: true },
		'keep-old-key': { type: 'string', multiple: true },
		'accept-list-change': { type: 'string', multiple: true }
	},
	async run(context, args) {
		positionals(args, []);
		const to = stringList(args, 'to');
		if (to.length === 0) throw new UsageError('Missing --to: add at least one recipient.');
		const subject = requiredString(args, 'subject');
		const body = readBody(stringOption(args, 'body'), stringOption(args, 'body-file'));
		const attachments = stringList(args, 'attach').map(fileSource);
		const mailer = await context.mailer();
		const keepPinned = stringList(args, 'keep-old-key');
		let told = false;
		const stamping = {
			onProgress: () => {
				if (!told) printNote('Proving this is not bulk mail (first contact)…');
				told = true;
			}
		};
		const accepted = stringList(args, 'accept-list-change').map(normaliseAddress);
		const sent = await context
			.authenticated(async () => {
				await showLists(mailer, to, keepPinned, accepted);
				return mailer.send({ to, subject, body, attachments, keepPinned, stamping });
			})
			.catch((error: unknown) => {
				throw explainKeyTrouble(error);
			});
		print(sent.id);
		printNote(`Sent to ${sent.recipients.join(', ')}.`);
	}
};

/** Prints who each mailing list reaches before anything is sent; accepts a changed membership
 * only for the lists the user named with --accept-list-change. */
async function showLists(
	mailer: Mailer,
	to: string[],
	keepPinned: string[],
	accepted: string[]
): Promise<void> {
	for (;;) {
		try {
			const { lists } = await mailer.resolveEnvelope(to, keepPinned);
			for (const list of lists) {
				printNote(
					`${list.address} is a mailing list; each member gets the message encrypted to their own key:`
				);
				for (const member of list.members) {
					printNote(
						`  ${member.address}  key ${groupFingerprint(member.fingerprint)} (${member.trust})`
					);
				}
			}
			return;
		} catch (error) {
			if (!(error instanceof ListChangedError)) throw error;
			const refused = error.changes.filter((change) => !accepted.includes(change.address));
			if (refused.length > 0) throw error;
			for (const change of error.changes) await mailer.acceptListChange(change);
		}
	}
}

/** The mailer's sentence names the problem; on the command line, also the commands that fix it. */
function explainKeyTrouble(error: unknown): unknown {
	if (!(error instanceof MailerError)) return error;
	const [address] = error.addresses;
	if (error.kind === 'key-changed') {
		return new CliError(
			`Nothing was sent: the relay now serves a different key for ${error.addresses.join(', ')} than the one kept for them, so someone may be posing as them. Compare fingerprints with them ("letterlock contacts", "letterlock lookup ${address}"), then run "letterlock verify ${address} FINGERPRINT", or send again with --keep-old-key ${address} to encrypt to the key kept before.`
		);
	}
	if (error instanceof ListChangedError) {
		const lists = error.changes.map((change) =>
			change.members === null
				? `${change.address} is no longer a list`
				: `${change.address} now reaches ${change.members.join(', ')}`
		);
		return new CliError(
			`${error.message}\n${lists.join('\n')}\nIf you mean to write to them, send again with ${error.addresses.map((list) => `--accept-list-change ${list}`).join(' ')}.`
		);
	}
	if (error.kind === 'key-missing') {
		return new CliError(
			`${error.message} To write to the key kept before anyway, send again with --keep-old-key ${address}.`
		);
	}
	if (error.kind === 'key-conflict') {
		return new CliError(
			`Nothing was sent. More than one key claims ${error.addresses.join(', ')}, so Letterlock will not choose one. See them with "letterlock lookup ${address}", compare with the owner, then run "letterlock verify ${address} FINGERPRINT".`
		);
	}
	return error;
}

function readBody(body: string | undefined, file: string | undefined): string {
	if ((body === undefined) === (file === undefined)) {
		throw new UsageError('Give the message text with either --body or --body-file.');
	}
	if (body !== undefined) return body;
	try {
		return readFileSync(file === '-' ? 0 : file!, 'utf8');
	} catch (error) {
		throw new CliError(`Cannot read ${file}: ${(error as Error).message}.`);
	}
}
