// Sending and opening mail: the one place that joins the directory, the crypto engine and the
// relay. The browser app and the command line both use it, so they behave identically.
import type { CryptoApi, SignatureCheck } from '../crypto/types';
import { isValidAddress, normaliseAddress, splitAddress } from '../protocol/address';
import type {
	DeliveryStatus,
	LookupResponse,
	MessageSummary,
	StoredMessage
} from '../protocol/api';
import type { AttachmentManifest } from './attachment-manifest';
import {
	receiveAttachment,
	sendAttachment,
	type AttachmentSource,
	type BlockTransport
} from './attachments';
import { formatMail, parseMail } from './mail-format';
import type { PreparedMessage } from './outbox';
import type { AttachmentInfo, BodyType } from './mime-body';
import { RelayError, type RelayClient } from './relay-client';
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
				return !(trust === 'changed' && keepPinned.has(address));
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

	async #assessAnswer(address: string, answer: LookupResponse | null): Promise<Assessment> {
		return this.contacts.assess(address, await this.#served(answer));
	}

	async #served(answer: LookupResponse | null): Promise<ServedKey[]> {
		return Promise.all(
			(answer?.keys ?? []).map(async (key) => ({
				fingerprint: key.fingerprint,
				publicKey: key.publicKey,
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
	}) {
		const manifests: AttachmentManifest[] = [];
		if (input.attachments?.length) {
			// A wrong address should fail before gigabytes are uploaded, not after.
			await this.resolveRecipients(input.to, { keepPinned: input.keepPinned });
			for (const file of input.attachments) {
				manifests.push(await sendAttachment(file, this.blocks, this.crypto));
			}
		}
		const prepared = await this.prepare({ ...input, attachments: manifests });
		const blocks = manifests.flatMap((manifest) => manifest.blocks.map((block) => block.sha256));
		// The Message-ID doubles as the idempotency key: a retry after a lost answer is one copy.
		return this.relay.send(prepared.to, prepared.message, prepared.id, blocks);
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
	async prepare(input: {
		to: string[];
		subject: string;
		body: string;
		attachments?: AttachmentManifest[];
		keepPinned?: string[];
	}): Promise<PreparedMessage> {
		const { recipients, envelope } = await this.#resolveEnvelope(input.to, input.keepPinned);
		const messageId = `${crypto.randomUUID()}@${splitAddress(normaliseAddress(this.me.address)).domain}`;
		const text = formatMail({
			headers: {
				subject: input.subject,
				from: { name: this.me.name, address: this.me.address },
				to: envelope,
				date: new Date(),
				messageId
			},
			body: input.body,
			manifests: input.attachments
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
	async #resolveEnvelope(
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
		const sender = await this.describe(stored.from);
		const pinned = isValidAddress(stored.from) ? await this.contacts.get(stored.from) : undefined;
		const senderKeys = [
			...((await this.#known(stored.from))?.keys.map((key) => key.publicKey) ?? []),
			...(pinned ? [pinned.publicKey] : [])
		];
		const decrypted = await this.crypto.decryptAndVerify({ message: stored.message, senderKeys });
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
				trust: signerNotPinned ? 'changed' : sender.trust
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
			deliveries: stored.deliveries ?? []
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

	/** For showing keys: an address never seen while offline shows as having no key. */
	#known(address: string): Promise<LookupResponse | null> {
		return this.lookup(address).catch((error: unknown) => {
			if (error instanceof MailerError && error.kind === 'no-key-offline') return null;
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
