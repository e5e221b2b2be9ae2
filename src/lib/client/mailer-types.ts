// What the Mailer takes and gives: recipients with their keys, opened letters as shown, and
// where directory answers are kept between sessions.
import type { SignatureCheck, SignedText } from '../crypto/types';
import type { DeliveryStatus, MessageSummary } from '../protocol/api';
import type { AttachmentSource } from './attachments';
import type { AttachmentInfo, BodyType } from './mime-body';
import type { Trust } from './trust';

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
