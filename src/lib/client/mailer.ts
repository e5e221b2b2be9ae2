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
	| 'no-recipients'
	| 'no-key-offline';

/** The sentence for addresses that are not complete, e.g. in To or in a group. */
export function invalidAddresses(invalid: string[]): string {
	const quoted = invalid.map((address) => `“${address}”`).join(', ');
	const verb = invalid.length === 1 ? 'is not a complete address' : 'are not complete addresses';
	return `${quoted} ${verb}. Write addresses like name@example.org.`;
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

export interface Recipient {
	address: string;
	fingerprint: string;
	publicKey: string;
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
	publicKey: string;
}

/** Where a Mailer keeps directory answers between sessions, so it can encrypt while offline. */
export interface DirectoryCache {
	get(address: string): Promise<LookupResponse | undefined>;
	put(address: string, answer: LookupResponse): Promise<void>;
}

export class Mailer {
	/** Directory answers for this session: one lookup per address, shared by every view. */
	readonly #lookups = new Map<string, Promise<LookupResponse | null>>();

	constructor(
		private readonly relay: RelayClient,
		private readonly crypto: CryptoApi,
		private readonly me: Me,
		private readonly directoryCache?: DirectoryCache,
		readonly contacts: ContactBook = new ContactBook(memoryContactStore())
	) {}

	/** `keepPinned`: addresses whose key changed, for which the user chose to keep using the
	 * key pinned before; mail to them is encrypted to that old key. */
	async resolveRecipients(
		addresses: string[],
		options: { keepPinned?: string[] } = {}
	): Promise<Recipient[]> {
		const cleaned = addresses.map((address) => address.trim()).filter((address) => address !== '');
		if (cleaned.length === 0) throw new MailerError('no-recipients', 'Add at least one recipient.');
		const invalid = cleaned.filter((address) => !isValidAddress(address));
		if (invalid.length > 0) {
			throw new MailerError('invalid-address', invalidAddresses(invalid), invalid);
		}
		const unique = [...new Set(cleaned.map(normaliseAddress))];
		// Asked afresh before every send: a key swapped since the last lookup must be noticed.
		const answers = await Promise.all(unique.map((address) => this.lookup(address, true)));
		const unknown = unique.filter((_, index) => answers[index] === null);
		if (unknown.length > 0) {
			throw new MailerError(
				'unknown-recipient',
				`No one called ${unknown.join(', ')} has a Letterlock key here. Check the spelling, or ask them to create an account first.`,
				unknown
			);
		}
		const assessments = await Promise.all(
			unique.map((address, index) => this.#assessAnswer(address, answers[index]!))
		);
		const keepPinned = new Set((options.keepPinned ?? []).map(normaliseAddress));
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
			const { key, pinned } = assessments[index]!;
			const chosen = key ?? pinned!;
			return { address, fingerprint: chosen.fingerprint, publicKey: chosen.publicKey };
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
	 * key, with the same trust checks as writing to each of them. */
	async resolveEnvelope(
		to: string[],
		keepPinned: string[] | undefined
	): Promise<{ recipients: Recipient[]; envelope: string[] }> {
		try {
			const recipients = await this.resolveRecipients(to, { keepPinned });
			return { recipients, envelope: recipients.map((recipient) => recipient.address) };
		} catch (error) {
			// Only addresses without a key can be lists; ask for those alone.
			if (!(error instanceof MailerError && error.kind === 'unknown-recipient')) throw error;
			const lists = await Promise.all(
				error.addresses.map((address) => this.relay.getList(address).catch(() => null))
			);
			if (lists.some((list) => list === null)) throw error;
			const listAddresses = new Set(error.addresses);
			const written = to.map((address) => address.trim()).filter((address) => address !== '');
			const direct = [...new Set(written.map(normaliseAddress))].filter(
				(address) => !listAddresses.has(address)
			);
			const members = lists.flatMap((list) => list!.members);
			const recipients = await this.resolveRecipients([...direct, ...members], { keepPinned });
			return { recipients, envelope: [...direct, ...listAddresses] };
		}
	}

	async open(summary: Pick<MessageSummary, 'id'>): Promise<OpenedMail> {
		return this.openStored(await this.fetchStored(summary));
	}

	fetchStored(summary: Pick<MessageSummary, 'id'>): Promise<StoredMessage> {
		return this.relay.fetchMessage(this.me.address, summary.id);
	}

	/** Decrypts and checks a message as the relay stored it (fresh or from the device's cache). */
	async openStored(stored: StoredMessage): Promise<OpenedMail> {
		const { pinned } = await this.#senderKeys(stored.from);
		const decrypt = async () =>
			this.crypto.decryptAndVerify({
				message: stored.message,
				senderKeys: (await this.#senderKeys(stored.from)).senderKeys
			});
		let decrypted = await decrypt();
		if (decrypted.signature.state === 'unknown-key' && isValidAddress(stored.from)) {
			// Signed by a key this session has not seen: the sender may have a new key since the
			// directory was last asked, so ask again once.
			await this.lookup(stored.from, true);
			decrypted = await decrypt();
		}
		const sender = await this.describe(stored.from);
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
			to: await Promise.all(to.map((address) => this.describe(address))),
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
			deliveries: stored.deliveries ?? [],
			imported: stored.imported === true,
			messageId: mail.headers.messageId,
			inReplyTo: mail.headers.inReplyTo,
			references: mail.headers.references ?? []
		};
	}

	/** The keys that may have signed mail from `address`: the directory's and the pinned one. */
	async #senderKeys(address: string) {
		const pinned = isValidAddress(address) ? await this.contacts.get(address) : undefined;
		const senderKeys = [
			...((await this.#known(address))?.keys.map((key) => key.publicKey) ?? []),
			...(pinned ? [pinned.publicKey] : [])
		];
		return { pinned, senderKeys };
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
		// No keys for an address that is not one: the check then says the key is unknown.
		const { senderKeys } = isValidAddress(address)
			? await this.#senderKeys(normaliseAddress(address))
			: { senderKeys: [] };
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
	lookup(address: string, fresh = false): Promise<LookupResponse | null> {
		if (!isValidAddress(address)) return Promise.resolve(null);
		if (fresh) this.#lookups.delete(address);
		let pending = this.#lookups.get(address);
		if (!pending) {
			pending = this.relay.lookup(address).then(
				async (answer) => {
					await this.directoryCache?.put(address, answer).catch(() => undefined);
					return answer;
				},
				async (error: unknown) => {
					// Only keys are remembered: someone unknown now may register a minute later.
					this.#lookups.delete(address);
					if (error instanceof RelayError && error.status === 404) return null;
					if (error instanceof RelayError && error.kind === 'offline') {
						return this.#lookupOffline(address, error);
					}
					throw error;
				}
			);
			this.#lookups.set(address, pending);
		}
		return pending;
	}

	/** For showing keys and reading: an address never seen while offline, or whose relay cannot
	 * be reached right now, shows as having no key; the letter still opens. */
	#known(address: string): Promise<LookupResponse | null> {
		return this.lookup(address).catch((error: unknown) => {
			if (error instanceof MailerError && error.kind === 'no-key-offline') return null;
			if (error instanceof RelayError && error.kind === 'remote-unavailable') return null;
			throw error;
		});
	}

	/** The last answer this device saw: public keys, so a stale one is no secret, and the
	 * relay still refuses mail for addresses that no longer exist when it is delivered. */
	async #lookupOffline(address: string, error: RelayError): Promise<LookupResponse> {
		const cached = await this.directoryCache?.get(address).catch(() => undefined);
		if (cached) return cached;
		if (!this.directoryCache) throw error;
		throw new MailerError(
			'no-key-offline',
			`You are offline and this device has not seen the key of ${address} yet, so the message cannot be encrypted now. Your draft is kept; send it when you are back online.`,
			[address]
		);
	}
}
