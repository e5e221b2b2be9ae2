import { readFileSync } from 'node:fs';
import { fileSource } from '../attachment-files';
import { positionals, requiredString, stringList, stringOption } from '../args';
import type { Command } from '../command';
import type { Mailer } from '../../lib/client/mailer';
import { normaliseAddress } from '../../lib/protocol/address';
import { CliError, UsageError } from '../errors';
import { groupFingerprint, print, printNote, recipientProblemText } from '../output';

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
		const sent = await context.authenticated(async () => {
			await checkRecipients(mailer, to, keepPinned, accepted);
			return mailer.send({ to, subject, body, attachments, keepPinned, stamping });
		});
		print(sent.id);
		printNote(`Sent to ${sent.recipients.join(', ')}.`);
	}
};

/** Stops with what to do when the recipients cannot be written to yet; prints who each mailing
 * list reaches before anything is sent, and accepts a changed membership only for the lists the
 * user named with --accept-list-change. */
async function checkRecipients(
	mailer: Mailer,
	to: string[],
	keepPinned: string[],
	accepted: string[]
): Promise<void> {
	for (;;) {
		const resolution = await mailer.resolveEnvelope(to, keepPinned);
		if (resolution.kind === 'ready') {
			for (const list of resolution.lists) {
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
		}
		const refused =
			resolution.kind !== 'list-changed' ||
			resolution.changes.some((change) => !accepted.includes(change.address));
		if (refused) throw new CliError(recipientProblemText(resolution));
		for (const change of resolution.changes) await mailer.acceptListChange(change);
	}
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
