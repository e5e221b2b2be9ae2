// Opening a letter: decrypt, check the signature against the keys this device knows, and say
// who each address in it is. Opening asks the network nothing that depends on what the letter
// says: a sender who writes tracker addresses into To would otherwise learn when it is read
// (their relay sees the key lookup). Keys come from this device's contacts; the directory is
// asked only about contacts (for a key that replaced the pinned one) and addresses the person
// chose to look up.
import type { CryptoApi, SignedText } from '../crypto/types';
import { isValidAddress, normaliseAddress } from '../protocol/address';
import type { LookupResponse, StoredMessage } from '../protocol/api';
import type { LookupOptions } from './key-lookups';
import { parseMail } from './mail-format';
import { unreachable } from './mailer-error';
import type { AddressWithKey, Me, OpenedMail, OpenOptions, OriginalCheck } from './mailer-types';
import type { ContactBook, ContactRecord } from './trust';

/** The Mailer's parts that opening uses. */
export interface OpeningSources {
	me: Me;
	contacts: ContactBook;
	crypto: CryptoApi;
	/** Asks the directory, once a session unless `options` say otherwise (key-lookups.ts). */
	lookup(address: string, options: LookupOptions): Promise<LookupResponse | null>;
	/** The directory's answer this session, or null where it cannot be had now. */
	known(address: string): Promise<LookupResponse | null>;
	/** The directory's key for an address, with its trust state. */
	describe(address: string): Promise<AddressWithKey>;
	/** Whether the person chose to look `address` up this session. */
	chosen(address: string): boolean;
}

/** Decrypts and checks a message as the relay stored it (fresh or from the device's cache). */
export async function openStored(
	sources: OpeningSources,
	stored: StoredMessage,
	options: OpenOptions = {}
): Promise<OpenedMail> {
	// A hostile letter may name anything in its headers, valid addresses or not.
	const chosen = (address: string) =>
		options.lookUp === true || (isValidAddress(address) && sources.chosen(address));
	const own = normaliseAddress(sources.me.address);
	const pinned = isValidAddress(stored.from) ? await sources.contacts.get(stored.from) : undefined;
	const known = pinned !== undefined || stored.from === own;
	let asked = chosen(stored.from);
	const decrypt = async () =>
		sources.crypto.decryptAndVerify({
			message: stored.message,
			senderKeys: await senderKeys(sources, stored.from, pinned, asked)
		});
	let decrypted = await decrypt();
	if (decrypted.signature.state === 'unknown-key' && isValidAddress(stored.from)) {
		if (known || asked) {
			// Signed by a key this device has not seen: the sender may have made a new key, so the
			// directory is asked, once a session (again only for a letter that arrived after that
			// answer), never once per letter. A directory that cannot be asked now leaves the
			// letter readable, its signer not looked up.
			asked = await sources.lookup(stored.from, { notBefore: new Date(stored.receivedAt) }).then(
				() => true,
				(error: unknown) => {
					if (unreachable(error)) return false;
					throw error;
				}
			);
			if (asked) decrypted = await decrypt();
		}
	}
	const sender = await describeOnOpen(sources, stored.from, asked);
	const mail = parseMail(decrypted.text);
	const signedFrom = mail.headers.from.address;
	const to = mail.headers.to.length > 0 ? mail.headers.to : stored.to;
	const signer = decrypted.signature.state === 'valid' ? decrypted.signature.signer : null;
	const signerNotPinned = signer !== null && pinned !== undefined && signer !== pinned.fingerprint;
	return {
		id: stored.id,
		folder: stored.folder,
		receivedAt: stored.receivedAt,
		from: {
			...sender,
			name: mail.headers.from.name,
			fingerprint: signer ?? sender.fingerprint,
			// A letter signed by the certified successor is a rotation, not an unexplained change.
			trust:
				signerNotPinned && !(sender.trust === 'rotated' && signer === sender.fingerprint)
					? 'changed'
					: sender.trust
		},
		to: await Promise.all(to.map((address) => describeOnOpen(sources, address, chosen(address)))),
		subject: mail.headers.subject,
		date: (mail.headers.date.getTime() > 0
			? mail.headers.date
			: new Date(stored.receivedAt)
		).toISOString(),
		body: mail.body,
		bodyType: mail.bodyType,
		attachments: mail.attachments,
		signature: decrypted.signature,
		senderMismatch: signedFrom !== '' && signedFrom !== stored.from,
		claimedFrom: signedFrom,
		signerNotPinned,
		signerNotLookedUp: decrypted.signature.state === 'unknown-key' && !asked,
		deliveries: stored.deliveries ?? [],
		imported: stored.imported === true,
		messageId: mail.headers.messageId,
		inReplyTo: mail.headers.inReplyTo,
		references: mail.headers.references ?? []
	};
}

/** Checks a forwarded original against the keys of the address it says it is from, so a
 * forwarder cannot pass off their own words as someone else's. */
export async function checkOriginal(
	sources: OpeningSources,
	original: SignedText
): Promise<OriginalCheck> {
	const mail = parseMail(original.text);
	const address = mail.headers.from.address;
	// No keys for an address that is not one: the check then says the key is unknown. The
	// person asked for this check, so the directory may be asked.
	const keys = isValidAddress(address)
		? await senderKeys(
				sources,
				normaliseAddress(address),
				await sources.contacts.get(normaliseAddress(address)),
				true
			)
		: [];
	return {
		from: { name: mail.headers.from.name, address },
		subject: mail.headers.subject,
		date: mail.headers.date.toISOString(),
		signature: await sources.crypto.verifyDetached({ ...original, senderKeys: keys })
	};
}

/** The keys that may have signed mail from `address`: ours for our own address, the pinned
 * one, and the directory's only when `ask` (the directory is then asked, if not yet). */
async function senderKeys(
	sources: OpeningSources,
	address: string,
	pinned: ContactRecord | undefined,
	ask: boolean
): Promise<string[]> {
	const own = address === normaliseAddress(sources.me.address) ? [sources.me.publicKey] : [];
	const served = ask
		? ((await sources.known(address))?.keys.map((key) => key.publicKey) ?? [])
		: [];
	return [...own, ...served, ...(pinned ? [pinned.publicKey] : [])];
}

/** An address in a letter as shown next to it, without asking the network unless `ask`: our
 * own from our key, a contact from the pin, anyone else as not looked up. */
async function describeOnOpen(
	sources: OpeningSources,
	address: string,
	ask: boolean
): Promise<AddressWithKey> {
	if (ask) return sources.describe(address);
	if (address === normaliseAddress(sources.me.address)) {
		return { address, fingerprint: sources.me.fingerprint, conflict: false };
	}
	const pinned = isValidAddress(address) ? await sources.contacts.get(address) : undefined;
	if (!pinned) return { address, fingerprint: null, conflict: false, notLookedUp: true };
	return {
		address,
		fingerprint: pinned.fingerprint,
		conflict: false,
		trust: pinned.verified ? 'verified' : 'unverified',
		pinnedFingerprint: pinned.fingerprint
	};
}
