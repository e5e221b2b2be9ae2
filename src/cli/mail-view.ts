// How an opened message is shown: as JSON for scripts, or as text for people with every
// address next to its key fingerprint and the signature state spelled out.
import type { AddressWithKey, OpenedMail } from '../lib/client/mailer';
import type { DeliveryStatus } from '../lib/protocol/api';
import { describeSignature, groupFingerprint, safe, safeLine } from './output';

/** What a listing shows of a message: everything but the body. */
export function summaryJson(mail: OpenedMail) {
	return {
		id: mail.id,
		folder: mail.folder,
		date: mail.date,
		receivedAt: mail.receivedAt,
		from: mail.from.address,
		name: mail.from.name,
		fingerprint: mail.from.fingerprint,
		conflict: mail.from.conflict,
		signature: mail.signature.state,
		signer: mail.signature.signer,
		signerNotLookedUp: mail.signerNotLookedUp,
		signedAt: mail.signature.signedAt,
		senderMismatch: mail.senderMismatch,
		imported: mail.imported,
		to: mail.to.map((recipient) => ({
			address: recipient.address,
			fingerprint: recipient.fingerprint,
			conflict: recipient.conflict,
			notLookedUp: recipient.notLookedUp === true
		})),
		subject: mail.subject,
		deliveries: mail.deliveries
	};
}

export function mailJson(mail: OpenedMail) {
	const attachments = mail.attachments.map(({ name, type, size }) => ({ name, type, size }));
	return { ...summaryJson(mail), body: mail.body, attachments };
}

export function mailText(mail: OpenedMail): string {
	const from = mail.from.name
		? `${safeLine(mail.from.name)} <${safeLine(mail.from.address)}>`
		: safeLine(mail.from.address);
	const lines = [
		`From:      ${from}`,
		`           ${keyNote(mail.from)}`,
		`Signature: ${
			mail.signerNotLookedUp
				? `signed by key ${mail.signature.signer ?? '?'}, which you do not know yet; to check it, look the sender's key up: letterlock read ${mail.id} --look-up`
				: describeSignature(mail.signature)
		}`
	];
	if (mail.imported) {
		lines.push(
			'Imported:  from a file; the relay did not see who sent it, only the signature can say.'
		);
	}
	if (mail.senderMismatch) {
		lines.push(
			'Warning:   the signed sender differs from the account the relay says sent this message.'
		);
	}
	lines.push(
		...mail.to.map(
			(recipient, index) =>
				`${index === 0 ? 'To:       ' : '          '} ${safeLine(recipient.address)} (${keyNote(recipient)})`
		),
		`Date:      ${mail.date}`,
		...mail.deliveries.map(
			(delivery, index) =>
				`${index === 0 ? 'Delivery: ' : '          '} ${describeDelivery(delivery)}`
		),
		`Subject:   ${safeLine(mail.subject)}`,
		...mail.attachments.map(
			(file, index) =>
				`${index === 0 ? 'Attached: ' : '          '} ${safeLine(file.name)} (${file.size} bytes${file.manifest ? '' : ', not in blocks: save does not write it'})`
		),
		'',
		safe(mail.body)
	);
	if (mail.attachments.some((file) => file.manifest)) {
		lines.push('', `Save the attachments with: letterlock save ${mail.id} --out FOLDER`);
	}
	return lines.join('\n');
}

/** The same sentences as the web app's message view. */
function describeDelivery(status: DeliveryStatus): string {
	// The relay's words, and the remote relay's problem text within them.
	const domain = safeLine(status.domain);
	const problem = status.problem === null ? null : safeLine(status.problem);
	if (status.state === 'delivered') return `delivered to ${domain} at ${safeLine(status.at ?? '')}`;
	if (status.state === 'failed') {
		return `not delivered to ${domain}: ${problem ?? 'its relay refused it.'}`;
	}
	return problem
		? `not yet delivered to ${domain}: ${problem} Your relay keeps trying.`
		: `on its way to ${domain}`;
}

function keyNote(entry: AddressWithKey): string {
	if (entry.notLookedUp) return 'not among your contacts, key not looked up';
	if (entry.conflict) return 'key conflict: several keys claim this address';
	if (!entry.fingerprint) return 'no key in the directory';
	return `key ${groupFingerprint(entry.fingerprint)}`;
}
