// Sending and opening mail: the one place that joins the directory, the crypto engine and the
// relay. The browser app and the command line both use it, so they behave identically.
import type { CryptoApi, SignatureCheck, SignedText } from '../crypto/types';
import { isValidAddress, normaliseAddress, splitAddress } from '../protocol/address';
import type {
	DeliveryStatus,
	LookupResponse,
	MessageSummary,
	StoredMessage
} from '../protocol/api';
import { allowListHash } from '../protocol/stamp';
import type { AttachmentManifest } from './attachment-manifest';
import {
	receiveAttachment,
	sendAttachment,
	type AttachmentSource,
	type BlockTransport
} from './attachments';
import { KeyLookups, type DirectoryCache, type LookupOptions } from './key-lookups';
import { ListBook, listChange, memoryListPinStore, type ListChange } from './list-pins';
import { formatMail, parseMail } from './mail-format';
import { blocksOf, type PreparedMessage } from './outbox';
import type { AttachmentInfo, BodyType } from './mime-body';
import { RelayError, type RelayClient } from './relay-client';
import { stampMessage, type StampOptions } from './stamps';
import {
	ContactBook,
	memoryContactStore,
	type Assessment,
	type ContactRecord,
	type ServedKey,
	type Trust
} from './trust';

export type MailerErrorKind =
	| 'invalid-address'
	| 'unknown-recipient'
	| 'key-conflict'
	| 'key-changed'
	| 'key-rotated'
	| 'key-revoked'
	| 'key-missing'
	| 'list-changed'
	| 'no-recipients'
	| 'no-key-offline';

/** The sentence for addresses that are not complete, e.g. in To or in a group. */
export function invalidAddresses(invalid: string[]): string {
	const quoted = invalid.map((address) => `“${address}”`).join(', ');
	const verb = invalid.length === 1 ? 'is not a complete address' : 'are not complete addresses';
	return `${quoted} ${verb}. Write addresses like name@example.org.`;
}

/** The written addresses, each once and normalised; refuses an empty or incomplete one. */
function uniqueAddresses(addresses: string[]): string[] {
	const cleaned = addresses.map((address) => address.trim()).filter((address) => address !== '');
	if (cleaned.length === 0) throw new MailerError('no-recipients', 'Add at least one recipient.');
	const invalid = cleaned.filter((address) => !isValidAddress(address));
	if (invalid.length > 0) {
		throw new MailerError('invalid-address', invalidAddresses(invalid), invalid);
	}
	return [...new Set(cleaned.map(normaliseAddress))];
}

export class MailerError extends Error {
	constructor(
		readonly kind: MailerErrorKind,
		message: string,
		/** The addresses the error is about, so a form can mark them. */
		readonly addresses: string[] = []
	) {
		super(message);
		this.name = 'MailerError';
	}
}

/** A mailing list's membership differs from the one this device kept: nothing is sent until
 * the sender has seen the new members and accepted them (`Mailer.acceptListChange`). */
export class ListChangedError extends MailerError {
	constructor(readonly changes: ListChange[]) {
		super(
			'list-changed',
			`${changes.map(describeListChange).join(' ')} Nothing was sent: look at who is on the list now, and accept the change only if you mean to write to them.`,
			changes.map((change) => change.address)
		);
		this.name = 'ListChangedError';
	}
}

function describeListChange(change: ListChange): string {
	if (change.members === null) {
		return `${change.address} was a mailing list when you last wrote, but the relay now gives a key for it instead of its members.`;
	}
	const parts = [
		change.added.length > 0 ? `added ${change.added.join(', ')}` : '',
		change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : ''
	].filter(Boolean);
	return `The members of the mailing list ${change.address} changed since you last wrote (${parts.join('; ')}).`;
}

export interface Recipient {
	address: string;
	fingerprint: string;
	publicKey: string;
	/** The trust state of the key chosen, against the pin on this device. */
	trust: Trust;
	/** The name the sender gave this contact on this device, if any. */
	name?: string;
}

/** A mailing list written to: the sender sees who it reaches before the letter goes. */
export interface ResolvedList {
	address: string;
	members: Recipient[];
}

export interface AddressWithKey {
	address: string;
	/** The key the directory serves for the address, or null when it serves none. */
	fingerprint: string | null;
	/** True when several keys claim the address; no key is then chosen. */
	conflict: boolean;
	/** The trust state against this device's pinned key (absent only for our own address). */
	trust?: Trust;
	/** The key pinned on this device, when it differs from `fingerprint` or none is served. */
	pinnedFingerprint?: string | null;
	/** Not a contact, so the directory was not asked (asking would tell its relay the letter
	 * was opened); the person may choose to look it up. */
	notLookedUp?: boolean;
}

export interface OpenedMail {
	id: string;
	folder: MessageSummary['folder'];
	receivedAt: string;
	from: AddressWithKey & { name: string };
	to: AddressWithKey[];
	subject: string;
	/** ISO date from the signed, encrypted headers. */
	date: string;
	body: string;
	/** text/html only for mail from other programs; shown sanitised in a sandboxed frame. */
	bodyType: BodyType;
	/** Other parts, as the sender named and typed them: listed, never opened inline. */
	attachments: AttachmentInfo[];
	signature: SignatureCheck;
	/** The signed From differs from the address the relay authenticated as the sender. */
	senderMismatch: boolean;
	/** The From address written inside the message (may differ from `from.address`). */
	claimedFrom: string;
	/** Validly signed, but by a key other than the one pinned for the sender on this device. */
	signerNotPinned: boolean;
	/** Signed by a key this device does not know, and the sender is not a contact: the directory
	 * was not asked, so the signature is checked only once the person chooses to look it up. */
	signerNotLookedUp: boolean;
	/** On a sent copy: how the relay's delivery to each other relay stands. */
	deliveries: DeliveryStatus[];
	/** Imported from a file: the relay did not see who sent it, only the signature can say. */
	imported: boolean;
	/** From the protected headers, for threading ('' when the sender gave none). */
	messageId: string;
	inReplyTo?: string;
	references: string[];
}

/** What checking a forwarded original found: who it says it is from, and whether their key
 * signed it. */
export interface OriginalCheck {
	from: { name: string; address: string };
	subject: string;
	date: string;
	signature: SignatureCheck;
}

/** What the person writing a letter chose: recipients, words, files and what it answers. */
export interface OutgoingMail {
	to: string[];
	subject: string;
	body: string;
	attachments?: AttachmentSource[];
	keepPinned?: string[];
	/** A reply: the Message-ID answered and the conversation's IDs before it. */
	thread?: { inReplyTo: string; references: string[] };
	/** Forwarded messages with their original signatures. */
	originals?: SignedText[];
}

export interface Me {
	name: string;
	address: string;
	fingerprint: string;
	publicKey: string;
}

/** How a letter is opened: `lookUp` asks the directory for every address in it (the person
 * chose to, knowing the sender's relay may learn that the letter was read). */
export interface OpenOptions {
	lookUp?: boolean;
}

export type { DirectoryCache } from './key-lookups';

export class Mailer {
	/** Directory answers for this session: one lookup per address, shared by every view. */
	readonly #keys: KeyLookups;
	/** Addresses in letters that the person chose to look up this session. */
	readonly #chosen = new Set<string>();

	constructor(
		private readonly relay: RelayClient,
		private readonly crypto: CryptoApi,
		private readonly me: Me,
		directoryCache?: DirectoryCache,
		readonly contacts: ContactBook = new ContactBook(memoryContactStore()),
		readonly lists: ListBook = new ListBook(memoryListPinStore())
	) {
		this.#keys = new KeyLookups(relay, directoryCache);
	}

	/** The keys for `unique` addresses, given the directory's `answers` for them, with the trust
	 * checks that stop a send. `keepPinnedList`: addresses whose key changed (or is no longer
	 * served), for which the user chose to keep using the key pinned before. */
	async #recipients(
		unique: string[],
		answers: Array<LookupResponse | null>,
		keepPinnedList: string[]
	): Promise<Recipient[]> {
		const keepPinned = new Set(keepPinnedList.map(normaliseAddress));
		const pins = await Promise.all(unique.map((address) => this.contacts.get(address)));
		const keyless = unique.filter((_, index) => answers[index] === null);
		const unknown = keyless.filter((address) => !pins[unique.indexOf(address)]);
		if (unknown.length > 0) {
			throw new MailerError(
				'unknown-recipient',
				`No one called ${unknown.join(', ')} has a Letterlock key here. Check the spelling, or ask them to create an account first.`,
				unknown
			);
		}
		// A contact whose key the relay stops serving is not someone else (nor a list) now.
		const missing = keyless.filter((address) => !keepPinned.has(address));
		if (missing.length > 0) {
			throw new MailerError(
				'key-missing',
				`The relay no longer gives a key for ${missing.join(', ')}, though this device kept one, so nothing was sent. Someone may be keeping them from your mail or slipping in another reader: ask them whether they closed their account, or keep using the key kept on this device.`,
				missing
			);
		}
		const assessments = await Promise.all(
			unique.map((address, index) => this.#assessAnswer(address, answers[index]!))
		);
		const withTrust = (trust: Trust) =>
			unique.filter((address, index) => {
				if (assessments[index]!.trust !== trust) return false;
				return !((trust === 'changed' || trust === 'rotated') && keepPinned.has(address));
			});
		const conflicted = withTrust('conflict');
		if (conflicted.length > 0) {
			throw new MailerError(
				'key-conflict',
				`More than one key claims ${conflicted.join(', ')}, so Letterlock will not choose one for you. Compare fingerprints with them by phone or in person, then mark the right one verified, before writing.`,
				conflicted
			);
		}
		const changed = withTrust('changed');
		if (changed.length > 0) {
			throw new MailerError(
				'key-changed',
				`The key of ${changed.join(', ')} changed since you last wrote, so nothing was sent. Someone may be posing as them, or they made a new key: compare the new fingerprint with them and mark it verified, or keep using the old key.`,
				changed
			);
		}
		const rotated = withTrust('rotated');
		if (rotated.length > 0) {
			throw new MailerError(
				'key-rotated',
				`${rotated.join(', ')} moved to a new key, and their old key certifies it, so it is very likely theirs. Nothing was sent: use the new key (on their contact page), or keep using the old key.`,
				rotated
			);
		}
		const revoked = withTrust('revoked');
		if (revoked.length > 0) {
			throw new MailerError(
				'key-revoked',
				`The key of ${revoked.join(', ')} is revoked or expired, so it cannot be written to. Ask them for their new key.`,
				revoked
			);
		}
		return unique.map((address, index) => {
			const { key, pinned, trust } = assessments[index]!;
			const chosen = key ?? pinned!;
			return {
				address,
				fingerprint: chosen.fingerprint,
				publicKey: chosen.publicKey,
				trust,
				...(pinned?.name ? { name: pinned.name } : {})
			};
		});
	}

	/** The trust state of `address` against the directory now; pins the key on first use. */
	async assess(address: string): Promise<Assessment> {
		return this.#assessAnswer(address, await this.#known(address));
	}

	/** Marks `fingerprint` verified for `address`, refusing one that matches no key. */
	async verify(address: string, fingerprint: string): Promise<ContactRecord> {
		const answer = await this.#known(address);
		return this.contacts.verify(address, fingerprint, await this.#served(answer));
	}

	/** Tells the relay who may write to us without a proof-of-work stamp: the contacts whose
	 * key we verified. Pins alone do not count, as reading a stranger's letter pins their key;
	 * people we wrote to the relay knows already. Only salted hashes leave the device. */
	async publishAllowList(): Promise<void> {
		const owner = normaliseAddress(this.me.address);
		const verified = (await this.contacts.list()).filter((contact) => contact.verified);
		await this.relay.putAllowList(
			await Promise.all(verified.map((contact) => allowListHash(owner, contact.address)))
		);
	}

	/** Takes over the key that replaced the pinned one, if the pinned key certified it. */
	async acceptRotation(address: string): Promise<ContactRecord> {
		const answer = await this.lookup(address, true);
		const pinned = await this.contacts.get(address);
		return this.contacts.acceptRotation(address, await this.#served(answer, pinned));
	}

	async #assessAnswer(address: string, answer: LookupResponse | null): Promise<Assessment> {
		const pinned = isValidAddress(address) ? await this.contacts.get(address) : undefined;
		return this.contacts.assess(address, await this.#served(answer, pinned));
	}

	/** `pinned`: checks each other key for a certification by it (a rotation). */
	async #served(answer: LookupResponse | null, pinned?: ContactRecord): Promise<ServedKey[]> {
		return Promise.all(
			(answer?.keys ?? []).map(async (key) => ({
				fingerprint: key.fingerprint,
				publicKey: key.publicKey,
				certifiedByPinned:
					pinned !== undefined &&
					pinned.fingerprint !== key.fingerprint &&
					(await this.crypto.certifiedBy({
						publicKey: key.publicKey,
						certifier: pinned.publicKey,
						address: pinned.address
					})),
				usable: await this.crypto.inspectPublicKey(key.publicKey).then(
					(info) => info.usable,
					() => false
				)
			}))
		);
	}

	async send(input: {
		to: string[];
		subject: string;
		body: string;
		attachments?: AttachmentSource[];
		keepPinned?: string[];
		/** How proof-of-work stamps are computed and progress reported. */
		stamping?: StampOptions;
	}) {
		const prepared = await this.prepareWithAttachments(input, this.blocks);
		const blocks = blocksOf(prepared).map((block) => block.sha256);
		const stamps = await stampMessage(this.relay, prepared, input.stamping);
		// The Message-ID doubles as the idempotency key: a retry after a lost answer is one copy.
		return this.relay.send(prepared.to, prepared.message, prepared.id, blocks, stamps);
	}

	/** Encrypts each attachment block by block into `store` (the relay, or the outbox on this
	 * device), then prepares the message whose manifests list those blocks. */
	async prepareWithAttachments(
		input: OutgoingMail,
		store: Pick<BlockTransport, 'put'>,
		onBlockEncrypted?: (plainBytes: number) => void
	): Promise<PreparedMessage> {
		const manifests: AttachmentManifest[] = [];
		if (input.attachments?.length) {
			// A wrong address should fail before gigabytes are encrypted, not after.
			await this.resolveEnvelope(input.to, input.keepPinned);
			for (const file of input.attachments) {
				manifests.push(await sendAttachment(file, store, this.crypto, onBlockEncrypted));
			}
		}
		const prepared = await this.prepare({ ...input, attachments: manifests });
		if (manifests.length === 0) return prepared;
		return { ...prepared, attachments: manifests.map(({ blocks }) => ({ blocks })) };
	}

	/** Fetches, checks and decrypts an attachment, writing it in order to `sink`. */
	receiveAttachment(manifest: AttachmentManifest, sink: WritableStreamDefaultWriter<Uint8Array>) {
		return receiveAttachment(manifest, this.blocks, this.crypto, sink);
	}

	/** Attachment blocks go to and come from this relay. */
	get blocks(): BlockTransport {
		return {
			put: async (hash, bytes) => {
				await this.relay.putBlock(hash, bytes);
			},
			get: (hash) => this.relay.getBlock(hash)
		};
	}

	/** Everything up to the relay: look up keys, format, sign and encrypt. Needs the key.
	 * Attachments are already uploaded; their manifests travel inside the encryption. */
	async prepare(
		input: Omit<OutgoingMail, 'attachments'> & { attachments?: AttachmentManifest[] }
	): Promise<PreparedMessage> {
		const { recipients, envelope } = await this.resolveEnvelope(input.to, input.keepPinned);
		const messageId = `${crypto.randomUUID()}@${splitAddress(normaliseAddress(this.me.address)).domain}`;
		const text = formatMail({
			headers: {
				subject: input.subject,
				from: { name: this.me.name, address: this.me.address },
				to: envelope,
				date: new Date(),
				messageId,
				...input.thread
			},
			body: input.body,
			manifests: input.attachments,
			originals: input.originals
		});
		const message = await this.crypto.encryptAndSign({
			text,
			recipientKeys: recipients.map((recipient) => recipient.publicKey)
		});
		return { id: messageId, from: this.me.address, to: envelope, message };
	}

	/** The keys to encrypt to and the addresses to send to. A mailing list on the relay is sent
	 * to by its address (the relay files the mail for each member) but encrypted to each member's
	 * key, with the same trust checks as writing to each of them. The relay says who the members
	 * are, so only an address without a key that is no contact can be a list, and its membership
	 * is pinned on first use: any change stops sending with a `ListChangedError`. */
	async resolveEnvelope(
		to: string[],
		keepPinned: string[] = []
	): Promise<{ recipients: Recipient[]; envelope: string[]; lists: ResolvedList[] }> {
		const unique = uniqueAddresses(to);
		// Asked afresh before every send: a key swapped since the last lookup must be noticed.
		const answers = await Promise.all(unique.map((address) => this.lookup(address, true)));
		const found = await Promise.all(
			unique.map((address, index) => this.#asList(address, answers[index]!))
		);
		const changes = found.flatMap((entry) => (entry?.change ? [entry.change] : []));
		if (changes.length > 0) throw new ListChangedError(changes);
		const lists = found.flatMap((entry) => (entry?.members ? [entry] : []));
		const direct = unique.filter((_, index) => !found[index]?.members);
		const members = [...new Set(lists.flatMap((list) => list.members!))].filter(
			(member) => !direct.includes(member)
		);
		const memberAnswers = await Promise.all(members.map((member) => this.lookup(member, true)));
		const recipients = await this.#recipients(
			[...direct, ...members],
			[...direct.map((address) => answers[unique.indexOf(address)]!), ...memberAnswers],
			keepPinned
		);
		const byAddress = new Map(recipients.map((recipient) => [recipient.address, recipient]));
		for (const list of lists) {
			if (!list.pinned) await this.lists.pin(list.address, list.members!);
		}
		return {
			recipients,
			envelope: [...direct, ...lists.map((list) => list.address)],
			lists: lists.map((list) => ({
				address: list.address,
				members: list.members!.map((member) => byAddress.get(member)!)
			}))
		};
	}

	/** What `address` is for writing to: a list (its members now), a change from the list
	 * kept on this device, or null for an address that is written to directly. */
	async #asList(
		address: string,
		answer: LookupResponse | null
	): Promise<{
		address: string;
		members?: string[];
		pinned?: boolean;
		change?: ListChange;
	} | null> {
		const pinnedList = await this.lists.get(address);
		if (answer !== null) {
			// A key where a list was: its members would silently give way to that key's owner.
			return pinnedList ? { address, change: listChange(pinnedList, null)! } : null;
		}
		// A contact's key that goes missing is never a list, whatever the relay says.
		if (await this.contacts.get(address)) return null;
		const list = await this.relay.getList(address).catch(() => null);
		if (!list) return null;
		const members = [...new Set(list.members.map(normaliseAddress))].sort();
		const change = pinnedList ? listChange(pinnedList, members) : null;
		if (change) return { address, change };
		return { address, members, pinned: pinnedList !== undefined };
	}

	/** The sender looked at a list's new membership and accepts it: exactly the members shown
	 * (a relay that changes them again is noticed again), or no list at all. */
	acceptListChange(change: ListChange): Promise<void> {
		return this.lists.pin(change.address, change.members);
	}

	async open(summary: Pick<MessageSummary, 'id'>, options: OpenOptions = {}): Promise<OpenedMail> {
		return this.openStored(await this.fetchStored(summary), options);
	}

	fetchStored(summary: Pick<MessageSummary, 'id'>): Promise<StoredMessage> {
		return this.relay.fetchMessage(this.me.address, summary.id);
	}

	/** The person chose to look `address` up: letters opened from now on (this session) ask the
	 * directory for its key, and pin it on first use as writing to it would. The directory is
	 * asked now, so that a relay refusing lookups (429) says so to the person who asked; reading
	 * would only show the signer as not looked up. */
	async chooseLookup(address: string): Promise<void> {
		if (!isValidAddress(address)) return;
		this.#chosen.add(normaliseAddress(address));
		await this.lookup(address).catch((error: unknown) => {
			if (error instanceof RelayError && error.status === 429) throw error;
		});
	}

	/** Decrypts and checks a message as the relay stored it (fresh or from the device's cache).
	 * Opening asks the network nothing that depends on what the letter says: a sender who writes
	 * tracker addresses into To would otherwise learn when it is read (their relay sees the key
	 * lookup). Keys come from this device's contacts; the directory is asked only about
	 * contacts (for a key that replaced the pinned one) and addresses the person chose. */
	async openStored(stored: StoredMessage, options: OpenOptions = {}): Promise<OpenedMail> {
		// A hostile letter may name anything in its headers, valid addresses or not.
		const chosen = (address: string) =>
			options.lookUp === true ||
			(isValidAddress(address) && this.#chosen.has(normaliseAddress(address)));
		const own = normaliseAddress(this.me.address);
		const pinned = isValidAddress(stored.from) ? await this.contacts.get(stored.from) : undefined;
		const known = pinned !== undefined || stored.from === own;
		let asked = chosen(stored.from);
		const decrypt = async () =>
			this.crypto.decryptAndVerify({
				message: stored.message,
				senderKeys: await this.#senderKeys(stored.from, pinned, asked)
			});
		let decrypted = await decrypt();
		if (decrypted.signature.state === 'unknown-key' && isValidAddress(stored.from)) {
			if (known || asked) {
				// Signed by a key this device has not seen: the sender may have made a new key, so the
				// directory is asked, once a session (again only for a letter that arrived after that
				// answer), never once per letter. A directory that cannot be asked now leaves the
				// letter readable, its signer not looked up.
				asked = await this.lookup(stored.from, { notBefore: new Date(stored.receivedAt) }).then(
					() => true,
					(error: unknown) => {
						if (unreachable(error)) return false;
						throw error;
					}
				);
				if (asked) decrypted = await decrypt();
			}
		}
		const sender = await this.#describeOnOpen(stored.from, asked);
		const mail = parseMail(decrypted.text);
		const signedFrom = mail.headers.from.address;
		const to = mail.headers.to.length > 0 ? mail.headers.to : stored.to;
		const signer = decrypted.signature.state === 'valid' ? decrypted.signature.signer : null;
		const signerNotPinned =
			signer !== null && pinned !== undefined && signer !== pinned.fingerprint;
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
			to: await Promise.all(to.map((address) => this.#describeOnOpen(address, chosen(address)))),
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

	/** The keys that may have signed mail from `address`: ours for our own address, the pinned
	 * one, and the directory's only when `ask` (the directory is then asked, if not yet). */
	async #senderKeys(
		address: string,
		pinned: ContactRecord | undefined,
		ask: boolean
	): Promise<string[]> {
		const own = address === normaliseAddress(this.me.address) ? [this.me.publicKey] : [];
		const served = ask
			? ((await this.#known(address))?.keys.map((key) => key.publicKey) ?? [])
			: [];
		return [...own, ...served, ...(pinned ? [pinned.publicKey] : [])];
	}

	/** An address in a letter as shown next to it, without asking the network unless `ask`:
	 * our own from our key, a contact from the pin, anyone else as not looked up. */
	async #describeOnOpen(address: string, ask: boolean): Promise<AddressWithKey> {
		if (ask) return this.describe(address);
		if (address === normaliseAddress(this.me.address)) {
			return { address, fingerprint: this.me.fingerprint, conflict: false };
		}
		const pinned = isValidAddress(address) ? await this.contacts.get(address) : undefined;
		if (!pinned) return { address, fingerprint: null, conflict: false, notLookedUp: true };
		return {
			address,
			fingerprint: pinned.fingerprint,
			conflict: false,
			trust: pinned.verified ? 'verified' : 'unverified',
			pinnedFingerprint: pinned.fingerprint
		};
	}

	/** A received message as its sender signed it, to forward with that signature. */
	signedOriginal(stored: StoredMessage): Promise<SignedText> {
		return this.crypto.signedOriginal({ message: stored.message });
	}

	/** Checks a forwarded original against the keys of the address it says it is from, so a
	 * forwarder cannot pass off their own words as someone else's. */
	async checkOriginal(original: SignedText): Promise<OriginalCheck> {
		const mail = parseMail(original.text);
		const address = mail.headers.from.address;
		// No keys for an address that is not one: the check then says the key is unknown. The
		// person asked for this check, so the directory may be asked.
		const senderKeys = isValidAddress(address)
			? await this.#senderKeys(
					normaliseAddress(address),
					await this.contacts.get(normaliseAddress(address)),
					true
				)
			: [];
		return {
			from: { name: mail.headers.from.name, address },
			subject: mail.headers.subject,
			date: mail.headers.date.toISOString(),
			signature: await this.crypto.verifyDetached({ ...original, senderKeys })
		};
	}

	/** The directory's key for an address, as shown next to it in the interface. */
	async describe(address: string): Promise<AddressWithKey> {
		const answer = await this.#known(address);
		if (address === normaliseAddress(this.me.address)) {
			// Our own key is not a contact: the session compares it with the key on this device.
			return {
				address,
				fingerprint: answer && !answer.conflict ? (answer.keys[0]?.fingerprint ?? null) : null,
				conflict: answer?.conflict ?? false
			};
		}
		const { trust, pinned, served, key } = await this.#assessAnswer(address, answer);
		const shown = key ?? (served.length === 1 ? served[0]! : null) ?? pinned;
		return {
			address,
			fingerprint: trust === 'conflict' ? null : (shown?.fingerprint ?? null),
			conflict: trust === 'conflict',
			trust,
			pinnedFingerprint: pinned?.fingerprint ?? null
		};
	}

	/** Null when the directory has no key for the address, or when it is no valid address at all
	 * (a hostile letter may name anything in its headers; that must not stop it from opening). */
	lookup(address: string, options: LookupOptions | boolean = {}): Promise<LookupResponse | null> {
		const asked = typeof options === 'boolean' ? { fresh: options } : options;
		return this.#keys.get(address, asked).catch((error: unknown) => {
			if (error instanceof RelayError && error.kind === 'offline' && this.#keys.keepsAnswers) {
				throw new MailerError(
					'no-key-offline',
					`You are offline and this device has not seen the key of ${address} yet, so the message cannot be encrypted now. Your draft is kept; send it when you are back online.`,
					[address]
				);
			}
			throw error;
		});
	}

	/** For showing keys and reading: an address never seen while offline, whose relay cannot
	 * be reached right now, or that the relay refuses to look up for a while, shows as having no
	 * key; the letter still opens. */
	#known(address: string): Promise<LookupResponse | null> {
		return this.lookup(address).catch((error: unknown) => {
			if (unreachable(error)) return null;
			throw error;
		});
	}
}

/** The directory cannot be asked now (offline, the address's relay away, too many lookups):
 * nothing about the address, so reading goes on with the keys on this device. */
function unreachable(error: unknown): boolean {
	if (error instanceof MailerError) return error.kind === 'no-key-offline';
	if (!(error instanceof RelayError)) return false;
	return error.kind === 'remote-unavailable' || error.kind === 'offline' || error.status === 429;
}
