/** The sentence for every error Letterlock raises on purpose (lib/errors.ts), in the browser and
 * on the command line. A translation replaces the values, never the keys. A relay's refusal is
 * told in these words, from its kind, never in the relay's own: a hostile relay's text would
 * otherwise reach the screen as if this app said it. Only types are imported. */
import type {
	AttachmentErrorParams,
	BlockOf,
	ChallengeRefusal,
	ClientErrorParams,
	CryptoErrorParams,
	DamagedPart,
	ErrorFacts,
	RecipientProblem,
	RelayErrorParams,
	TrustErrorParams
} from '../errors';
import type { ListChange } from '../client/list-pins';

const list = (addresses: string[]) => addresses.join(', ');
const grouped = (fingerprint: string) => fingerprint.replace(/(.{4})(?!$)/g, '$1 ');
const seconds = (count: number) => `${count} second${count === 1 ? '' : 's'}`;

export const challengeStrings: {
	[R in ChallengeRefusal['reason']]: (refusal: Extract<ChallengeRefusal, { reason: R }>) => string;
} = {
	'old-format': () =>
		'This relay asks for an older kind of login signature, which a relay could pass off as a signed letter, so this app no longer makes it. The relay’s operator must update Letterlock; nothing was signed.',
	'not-a-challenge': () =>
		'The relay sent something that is not a login challenge (it may be a letter or other text it wants your key to sign), so nothing was signed. Do not use this relay until its operator explains.',
	'other-relay': ({ named, expected }) =>
		`The login challenge names the relay ${named}, but this app is talking to ${expected}, so nothing was signed. If the relay moved, its operator must set its ORIGIN to ${expected}.`,
	'other-address': ({ named, expected }) =>
		`The login challenge is for ${named}, not for ${expected}, so nothing was signed.`,
	'too-long': () =>
		'The login challenge claims to last longer than five minutes, so nothing was signed. Try again; if it happens again, the relay is not behaving as it should.',
	expired: () =>
		'The login challenge has expired by this device’s clock, so nothing was signed. Check that the date and time on this device are right, then sign in again.'
};

export function challengeSentence(refusal: ChallengeRefusal): string {
	return (challengeStrings[refusal.reason] as (refusal: ChallengeRefusal) => string)(refusal);
}

/** The relay's kinds this client knows, in its own words; `addresses` come checked. */
export const relayStrings: Record<string, (params: RelayErrorParams) => string> = {
	offline: () => 'The relay cannot be reached. Check your connection; nothing was lost.',
	'bad-response': () => 'The relay sent an answer this app does not understand. Try again later.',
	http: ({ status }) => `The relay answered with an error (HTTP ${status}). Try again later.`,
	'rate-limited': ({ retryAfterSeconds }) =>
		retryAfterSeconds === undefined
			? 'The relay asks to slow down: too many requests in a short time. Try again in a minute.'
			: `The relay asks to slow down: too many requests in a short time. Try again in ${seconds(retryAfterSeconds)}.`,
	'unknown-recipient': ({ addresses }) =>
		addresses.length > 0
			? `There is no account ${list(addresses)} on this relay; check the address.`
			: 'One of these addresses has no account on its relay; check the addresses.',
	'unknown-address': ({ addresses }) =>
		addresses.length > 0
			? `There is no account ${list(addresses)} on its relay; check the address.`
			: 'There is no such account on the relay; check the address.',
	'empty-list': ({ addresses }) =>
		`Nobody on the list ${addresses.length > 0 ? `${list(addresses)} ` : ''}has accepted its invitation yet, so it reaches no one.`,
	'address-taken': () => 'This address is already taken; pick another.',
	'reserved-address': () =>
		'This address is reserved for the people who run the relay, like every postmaster@ or abuse@ address; pick another.',
	'wrong-domain': () => 'This relay does not host that address; it belongs to another relay.',
	'invalid-key': () =>
		'The relay did not accept this key: it may be expired or revoked, or not for this address.',
	'key-revoked': () =>
		'Your key is revoked, and a revoked key stays revoked; make a new address with a new key.',
	'key-changed': () => 'Your key changed meanwhile; reload and try again.',
	forbidden: () => 'The relay does not let this account do that.',
	unauthorised: () => 'The relay did not recognise this sign-in; sign in again.',
	'not-found': () => 'The relay has nothing by that name: it may be gone, used up or expired.',
	'no-matching-recovery': () =>
		'No recovery backup matches this address and recovery phrase; check the address and every word.',
	'unknown-transfer': () =>
		'This device code is unknown, already used or expired; ask the other device for a new one.',
	'not-invited': () => 'That list does not name you, so there is nothing to answer.',
	'transfer-exists': () => 'This transfer code is taken; make a new code.',
	'payload-too-large': () => 'That is more than the relay takes in one request.',
	'mailbox-full': () =>
		'A mailbox is full, so the relay refused this. If it is yours, delete mail you no longer need, or ask the relay’s operator for more room.',
	'quota-exceeded': () =>
		'Your account has used all the room this relay gives it. Delete mail or attachments you no longer need.',
	'remote-unavailable': () => 'The other relay cannot be reached right now. Try again later.',
	'remote-attachments': () =>
		'Attachments cannot go to other relays yet; send them to addresses on this relay only.',
	'missing-blocks': () =>
		'The relay is missing attachment blocks this letter needs; send it again to upload them.',
	'block-hash-mismatch': () =>
		'An attachment block was damaged on the way to the relay; send it again.',
	'stamp-required': () =>
		'The relay asks for a proof-of-work stamp for recipients who do not know you yet; send again to compute one.',
	'stamp-mismatch': () => 'The relay refused the proof-of-work stamp; send again to compute one.',
	'stamp-expired': () =>
		'The proof-of-work stamp is too old by the relay’s clock; send again to compute one.',
	'stamp-too-weak': () =>
		'The relay asks for a stronger proof-of-work stamp; send again to compute one.',
	'stamp-reused': () =>
		'That proof-of-work stamp was used before; send again to compute a new one.',
	'invalid-request': () =>
		'The relay did not accept what was sent; check what you entered and try again.',
	'idempotency-key-reused': () =>
		'The relay already holds a different letter under this one’s id; write it again.',
	'refused-challenge': ({ refusal }) => challengeSentence(refusal ?? { reason: 'not-a-challenge' })
};

/** For a kind this client does not know: what the status says, never the relay's sentence. */
export function relayFallback({ status }: RelayErrorParams): string {
	if (status === 429) return relayStrings['rate-limited']!({ status, addresses: [] });
	if (status === 401) return relayStrings.unauthorised!({ status, addresses: [] });
	if (status >= 500) return 'The relay has a problem right now. Try again later.';
	return `The relay refused this (HTTP ${status}).`;
}

const damaged: Record<DamagedPart, string> = {
	message: 'This message is damaged and cannot be read.',
	signature: 'The signature is damaged.',
	file: 'This file is damaged.',
	block: 'This block cannot be decrypted.'
};

export const cryptoStrings: {
	[K in keyof CryptoErrorParams]: (params: CryptoErrorParams[K]) => string;
} = {
	locked: () => 'Your key is locked. Unlock it with your passphrase.',
	'wrong-passphrase': ({ of }) =>
		of === 'key'
			? 'That passphrase does not unlock this key. Check for typing mistakes and Caps Lock, then try again.'
			: of === 'file'
				? 'That passphrase does not open this file. Use the passphrase of the key it holds.'
				: 'Choose a passphrase of at least 8 characters.',
	'bad-key': (params) =>
		params.reason === 'no-user-id'
			? `This key has no user ID for ${params.address}. Add one with GnuPG (gpg --quick-add-uid) or make a new key.`
			: params.reason === 'not-the-unlocked-key'
				? 'That stored key is not the unlocked one; unlock again.'
				: params.reason === 'unreadable-public-key'
					? 'That is not a readable OpenPGP public key.'
					: 'That is not a readable OpenPGP secret key.',
	'bad-message': (params) =>
		params.reason === 'too-large'
			? `This letter is malformed: it would unpack to more than ${params.limitMiB} MiB, so it was not opened.`
			: params.reason === 'not-signed'
				? 'This message is not signed, so there is no signature to pass on.'
				: damaged[params.part],
	'not-for-you': () => 'This message could not be decrypted with your key.',
	'unusable-recipient-key': ({ fingerprint }) =>
		`The key ${grouped(fingerprint)} cannot be encrypted to (it may be expired or revoked). Ask its owner for a current key.`,
	'not-a-challenge': () => 'That is not a Letterlock login challenge, so it was not signed.'
};

export const trustStrings: {
	[K in keyof TrustErrorParams]: (params: TrustErrorParams[K]) => string;
} = {
	'not-a-fingerprint': ({ text }) =>
		`“${text}” is not a fingerprint; it has 40 letters and digits (0–9, A–F).`,
	'fingerprint-mismatch': ({ address }) =>
		`The fingerprint you gave does not match any key for ${address}. Do not write to them until you have found out why: check that you compared the right address, or ask them to read their fingerprint again.`,
	'not-certified': ({ address }) =>
		`The key ${address} uses now is not certified by the key this device kept, so it cannot be taken over; compare fingerprints with them instead.`,
	'not-a-contact': ({ address }) =>
		`${address} is not among your contacts yet; write to them or read their mail first.`,
	'not-a-key-code': () =>
		'That code is not a Letterlock key code. Scan the code shown on their contact page under “Your code”.',
	'code-for-other-address': ({ codeFor, address }) =>
		`That code is for ${codeFor}, not ${address}. Nothing was marked verified; scan the code of ${address}.`
};

const which = ({ name, block, blocks }: BlockOf) => `Block ${block} of ${blocks} of ${name}`;

export const attachmentStrings: {
	[K in keyof AttachmentErrorParams]: (params: AttachmentErrorParams[K]) => string;
} = {
	'file-changed': ({ name }) => `${name} changed while it was being sent; attach it again.`,
	'inconsistent-manifest': ({ name }) =>
		`The description of ${name} is inconsistent; it cannot be opened.`,
	'block-unavailable': (params) =>
		params.reason
			? `${which(params)} could not be fetched (${errorSentence(params.reason)}); try again.`
			: `${which(params)} could not be fetched; try again.`,
	'block-damaged': (params) =>
		`${which(params)} is damaged: it is not the block the sender signed (${params.hash.slice(0, 12)}…). Nothing of it was used; try again, and if it stays damaged ask the sender to send the file again.`,
	'block-undecryptable': (params) =>
		`${which(params)} cannot be decrypted; ask the sender to send it again.`,
	'block-wrong-length': (params) =>
		`${which(params)} has the wrong length; ask the sender to send it again.`
};

export const clientStrings: {
	[K in keyof ClientErrorParams]: (params: ClientErrorParams[K]) => string;
} = {
	'group-unnamed': () => 'Give the group a name.',
	'group-empty': () => 'Add at least one address to the group.',
	'invalid-addresses': ({ addresses }) => invalidAddresses(addresses),
	'phrase-length': ({ words, expected }) =>
		`A recovery phrase has ${expected} words; this has ${words}.`,
	'phrase-word': ({ position, word }) =>
		`Word ${position}, "${word}", is not one a recovery phrase uses; check its spelling.`,
	'device-code-length': ({ expected }) =>
		`A device code has ${expected} letters and digits, as the other device shows it.`,
	'not-a-backup': () => 'This is not a Letterlock backup file, or one from a newer version.'
};

/** The sentence for addresses that are not complete, e.g. in To or in a group. */
export function invalidAddresses(invalid: string[]): string {
	const quoted = invalid.map((address) => `“${address}”`).join(', ');
	const verb = invalid.length === 1 ? 'is not a complete address' : 'are not complete addresses';
	return `${quoted} ${verb}. Write addresses like name@example.org.`;
}

export function describeListChange(change: ListChange): string {
	if (change.members === null) {
		return `${change.address} was a mailing list when you last wrote, but the relay now gives a key for it instead of its members.`;
	}
	const parts = [
		change.added.length > 0 ? `added ${change.added.join(', ')}` : '',
		change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : ''
	].filter(Boolean);
	return `The members of the mailing list ${change.address} changed since you last wrote (${parts.join('; ')}).`;
}

export const recipientStrings: {
	[K in RecipientProblem['kind']]: (problem: Extract<RecipientProblem, { kind: K }>) => string;
} = {
	'no-recipients': () => 'Add at least one recipient.',
	'invalid-address': ({ addresses }) => invalidAddresses(addresses),
	'unknown-recipient': ({ addresses }) =>
		`No one called ${list(addresses)} has a Letterlock key here. Check the spelling, or ask them to create an account first.`,
	'key-missing': ({ addresses }) =>
		`The relay no longer gives a key for ${list(addresses)}, though this device kept one, so nothing was sent. Someone may be keeping them from your mail or slipping in another reader: ask them whether they closed their account, or keep using the key kept on this device.`,
	'key-conflict': ({ addresses }) =>
		`More than one key claims ${list(addresses)}, so Letterlock will not choose one for you. Compare fingerprints with them by phone or in person, then mark the right one verified, before writing.`,
	'key-changed': ({ addresses }) =>
		`The key of ${list(addresses)} changed since you last wrote, so nothing was sent. Someone may be posing as them, or they made a new key: compare the new fingerprint with them and mark it verified, or keep using the old key.`,
	'key-rotated': ({ addresses }) =>
		`${list(addresses)} moved to a new key, and their old key certifies it, so it is very likely theirs. Nothing was sent: use the new key (on their contact page), or keep using the old key.`,
	'key-revoked': ({ addresses }) =>
		`The key of ${list(addresses)} is revoked or expired, so it cannot be written to. Ask them for their new key.`,
	'no-key-offline': ({ addresses }) =>
		`You are offline and this device has not seen the key of ${list(addresses)} yet, so the message cannot be encrypted now. Your draft is kept; send it when you are back online.`,
	'list-changed': ({ changes }) =>
		`${changes.map(describeListChange).join(' ')} Nothing was sent: look at who is on the list now, and accept the change only if you mean to write to them.`
};

/** The sentence for an error's facts. */
export function errorSentence(facts: ErrorFacts): string {
	switch (facts.domain) {
		case 'relay': {
			const known = Object.hasOwn(relayStrings, facts.kind) ? relayStrings[facts.kind] : undefined;
			return (known ?? relayFallback)(facts.params);
		}
		case 'crypto':
			return (cryptoStrings[facts.kind] as (params: typeof facts.params) => string)(facts.params);
		case 'trust':
			return (trustStrings[facts.kind] as (params: typeof facts.params) => string)(facts.params);
		case 'attachment':
			return (attachmentStrings[facts.kind] as (params: typeof facts.params) => string)(
				facts.params
			);
		case 'client':
			return (clientStrings[facts.kind] as (params: typeof facts.params) => string)(facts.params);
		case 'mail-format':
			return 'Part of this message is damaged (its base64 encoding is broken), so it cannot be shown.';
		case 'mailer':
			return (recipientStrings[facts.kind] as (problem: RecipientProblem) => string)(facts.params);
	}
}
