// Sending and opening mail: the one place that joins the directory, the crypto engine and the
// relay. The browser app and the command line both use it, so they behave identically.
import type { CryptoApi, SignatureCheck } from '../crypto/types';
import { isValidAddress, normaliseAddress, splitAddress } from '../protocol/address';
import type { LookupResponse, MessageSummary, StoredMessage } from '../protocol/api';
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

export type MailerErrorKind =
	'invalid-address' | 'unknown-recipient' | 'key-conflict' | 'no-recipients' | 'no-key-offline';

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
		private readonly directoryCache?: DirectoryCache
	) {}

	async resolveRecipients(addresses: string[]): Promise<Recipient[]> {
		const cleaned = addresses.map((address) => address.trim()).filter((address) => address !== '');
		if (cleaned.length === 0) throw new MailerError('no-recipients', 'Add at least one recipient.');
		const invalid = cleaned.filter((address) => !isValidAddress(address));
		if (invalid.length > 0) {
			throw new MailerError(
				'invalid-address',
				`${invalid.map((address) => `“${address}”`).join(', ')} ${invalid.length === 1 ? 'is not a complete address' : 'are not complete addresses'}. Write addresses like name@example.org.`,
				invalid
			);
		}
		const unique = [...new Set(cleaned.map(normaliseAddress))];
		const answers = await Promise.all(unique.map((address) => this.lookup(address)));
		const unknown = unique.filter((_, index) => answers[index] === null);
		if (unknown.length > 0) {
			throw new MailerError(
				'unknown-recipient',
				`No one called ${unknown.join(', ')} has a Letterlock key here. Check the spelling, or ask them to create an account first.`,
				unknown
			);
		}
		const conflicted = unique.filter((_, index) => answers[index]?.conflict);
		if (conflicted.length > 0) {
			throw new MailerError(
				'key-conflict',
				`More than one key claims ${conflicted.join(', ')}, so Letterlock will not choose one for you. Compare fingerprints with them by phone or in person before writing.`,
				conflicted
			);
		}
		return answers.map((answer) => {
			const key = answer!.keys[0]!;
			return { address: answer!.address, fingerprint: key.fingerprint, publicKey: key.publicKey };
		});
	}

	async send(input: {
		to: string[];
		subject: string;
		body: string;
		attachments?: AttachmentSource[];
	}) {
		const manifests: AttachmentManifest[] = [];
		if (input.attachments?.length) {
			// A wrong address should fail before gigabytes are uploaded, not after.
			await this.resolveRecipients(input.to);
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
	}): Promise<PreparedMessage> {
		const recipients = await this.resolveRecipients(input.to);
		const messageId = `${crypto.randomUUID()}@${splitAddress(normaliseAddress(this.me.address)).domain}`;
		const text = formatMail({
			headers: {
				subject: input.subject,
				from: { name: this.me.name, address: this.me.address },
				to: recipients.map((recipient) => recipient.address),
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
		return {
			id: messageId,
			from: this.me.address,
			to: recipients.map((recipient) => recipient.address),
			message
		};
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
		const senderKeys = (await this.#known(stored.from))?.keys.map((key) => key.publicKey) ?? [];
		const decrypted = await this.crypto.decryptAndVerify({ message: stored.message, senderKeys });
		const mail = parseMail(decrypted.text);
		const signedFrom = mail.headers.from.address;
		const to = mail.headers.to.length > 0 ? mail.headers.to : stored.to;
		return {
			id: stored.id,
			folder: stored.folder,
			receivedAt: stored.receivedAt,
			from: {
				...sender,
				name: mail.headers.from.name,
				fingerprint:
					decrypted.signature.state === 'valid' ? decrypted.signature.signer : sender.fingerprint
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
			claimedFrom: signedFrom
		};
	}

	/** The directory's key for an address, as shown next to it in the interface. */
	async describe(address: string): Promise<AddressWithKey> {
		const answer = await this.#known(address);
		return {
			address,
			fingerprint: answer && !answer.conflict ? (answer.keys[0]?.fingerprint ?? null) : null,
			conflict: answer?.conflict ?? false
		};
	}

	/** Null when the directory has no key for the address, or when it is no valid address at all
	 * (a hostile letter may name anything in its headers; that must not stop it from opening). */
	lookup(address: string): Promise<LookupResponse | null> {
		if (!isValidAddress(address)) return Promise.resolve(null);
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
