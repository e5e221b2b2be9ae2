// Sending and opening mail: the one place that joins the directory, the crypto engine and the
// relay. The browser app and the command line both use it, so they behave identically. Who a
// letter goes to is decided in recipients.ts, how one is opened in letter-opening.ts.
import type { CryptoApi, SignedText } from '../crypto/types';
import { isValidAddress, normaliseAddress, splitAddress } from '../protocol/address';
import type { LookupResponse, MessageSummary, StoredMessage } from '../protocol/api';
import { allowListHash } from '../protocol/stamp';
import type { AttachmentManifest } from './attachment-manifest';
import {
	receiveAttachment,
	sendAttachment,
	type AttachmentSource,
	type BlockTransport
} from './attachments';
import { assessAnswer, servedKeys } from './key-trust';
import { KeyLookups, type DirectoryCache, type LookupOptions } from './key-lookups';
import { checkOriginal, openStored, type OpeningSources } from './letter-opening';
import { ListBook, memoryListPinStore, type ListChange } from './list-pins';
import { formatMail } from './mail-format';
import { MailerError, unreachable } from './mailer-error';
import type {
	AddressWithKey,
	Me,
	OpenedMail,
	OpenOptions,
	OriginalCheck,
	OutgoingMail
} from './mailer-types';
import { blocksOf, type PreparedMessage } from './outbox';
import {
	resolveEnvelope,
	type Envelope,
	type RecipientSources,
	type Resolution
} from './recipients';
import { RelayError, type RelayClient } from './relay-client';
import { stampMessage, type StampOptions } from './stamps';
import { ContactBook, memoryContactStore, type Assessment, type ContactRecord } from './trust';

export { MailerError } from './mailer-error';
export type * from './mailer-types';
export type { DirectoryCache } from './key-lookups';
export type { Envelope, Resolution } from './recipients';

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

	/** The trust state of `address` against the directory now; pins the key on first use. */
	async assess(address: string): Promise<Assessment> {
		return assessAnswer(this.contacts, this.crypto, address, await this.#known(address));
	}

	/** Marks `fingerprint` verified for `address`, refusing one that matches no key. */
	async verify(address: string, fingerprint: string): Promise<ContactRecord> {
		const answer = await this.#known(address);
		return this.contacts.verify(address, fingerprint, await servedKeys(this.crypto, answer));
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
		return this.contacts.acceptRotation(address, await servedKeys(this.crypto, answer, pinned));
	}

	/** Sends at once. Recipients not ready (see `resolveEnvelope`) stop it with a MailerError:
	 * callers that let the sender act on that look first. */
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
			await this.#ready(input.to, input.keepPinned);
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
		const { recipients, envelope } = await this.#ready(input.to, input.keepPinned);
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

	/** Who `to` reaches and with which keys, or why it cannot be written to yet: a value to
	 * switch on (recipients.ts). */
	resolveEnvelope(to: string[], keepPinned: string[] = []): Promise<Resolution> {
		return resolveEnvelope(this.#recipientSources, to, keepPinned);
	}

	async #ready(to: string[], keepPinned?: string[]): Promise<Envelope> {
		const resolution = await this.resolveEnvelope(to, keepPinned);
		if (resolution.kind !== 'ready') throw new MailerError(resolution);
		return resolution;
	}

	get #recipientSources(): RecipientSources {
		return {
			contacts: this.contacts,
			lists: this.lists,
			crypto: this.crypto,
			relay: this.relay,
			lookup: (address, fresh) => this.lookup(address, fresh)
		};
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

	/** Decrypts and checks a message as the relay stored it (fresh or from the device's cache),
	 * asking the network nothing that depends on what it says (letter-opening.ts). */
	openStored(stored: StoredMessage, options: OpenOptions = {}): Promise<OpenedMail> {
		return openStored(this.#openingSources, stored, options);
	}

	/** A received message as its sender signed it, to forward with that signature. */
	signedOriginal(stored: StoredMessage): Promise<SignedText> {
		return this.crypto.signedOriginal({ message: stored.message });
	}

	/** Checks a forwarded original against the keys of the address it says it is from. */
	checkOriginal(original: SignedText): Promise<OriginalCheck> {
		return checkOriginal(this.#openingSources, original);
	}

	get #openingSources(): OpeningSources {
		return {
			me: this.me,
			contacts: this.contacts,
			crypto: this.crypto,
			lookup: (address, options) => this.lookup(address, options),
			known: (address) => this.#known(address),
			describe: (address) => this.describe(address),
			chosen: (address) => this.#chosen.has(normaliseAddress(address))
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
		const { trust, pinned, served, key } = await assessAnswer(
			this.contacts,
			this.crypto,
			address,
			answer
		);
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
				throw new MailerError({ kind: 'no-key-offline', addresses: [address] });
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
