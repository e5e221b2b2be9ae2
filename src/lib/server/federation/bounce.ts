// A bounce: when the relay gives up on delivering to a domain, it tells the sender in their own
// inbox. The relay encrypts the notice to the sender's account key, so it is an ordinary message
// that every client already reads; it is unsigned and comes from postmaster@<this domain>, which
// clients show as "not signed".
import * as openpgp from 'openpgp';
import { randomUUID } from 'node:crypto';
import type { NewMessage, OutboundItem } from '../storage/types';

export async function bounceFor(
	item: OutboundItem,
	problem: string,
	options: { domain: string; senderKey: string; now: Date }
): Promise<NewMessage> {
	const postmaster = `postmaster@${options.domain}`;
	const text = [
		'Content-Type: text/plain; charset=utf-8; protected-headers="v1"',
		'Content-Transfer-Encoding: 8bit',
		`Message-ID: <${randomUUID()}@${options.domain}>`,
		`Date: ${options.now.toUTCString().replace('GMT', '+0000')}`,
		`From: Letterlock relay <${postmaster}>`,
		`To: ${item.sender}`,
		`Subject: Not delivered to ${item.domain}`,
		'',
		`Your message could not be delivered to ${item.recipients.join(', ')}.`,
		'',
		`The relay of ${options.domain} tried ${item.attempts} time${item.attempts === 1 ? '' : 's'} since ${item.queuedAt} and has given up: ${problem}`,
		'',
		'Check the addresses, or send the message again later.',
		''
	].join('\r\n');
	const armored = await openpgp.encrypt({
		message: await openpgp.createMessage({ text }),
		encryptionKeys: await openpgp.readKey({ armoredKey: options.senderKey }),
		format: 'armored'
	});
	return {
		id: randomUUID(),
		sender: postmaster,
		recipients: [item.sender],
		fileSent: false,
		armored,
		size: Buffer.byteLength(armored, 'utf8'),
		createdAt: options.now.toISOString()
	};
}
