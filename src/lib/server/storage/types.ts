// What the relay needs from a database. Both implementations (SQLite, PostgreSQL) run every
// state change in one transaction and pass the same test suite. Times are ISO 8601 strings;
// the relay passes its own clock in, so that expiry can be tested without waiting.
import type { Folder } from '$lib/protocol';

export type KeySource = 'account' | 'imported';

export interface AccountRecord {
	address: string;
	fingerprint: string;
	/** The armored key registered with the account; logins are verified against it alone. */
	publicKey: string;
	createdAt: string;
}

export interface DirectoryKeyRecord {
	address: string;
	fingerprint: string;
	publicKey: string;
	source: KeySource;
	createdAt: string;
}

export interface ChallengeRecord {
	nonce: string;
	address: string;
	expiresAt: string;
	used: boolean;
}

export interface SessionRecord {
	address: string;
	expiresAt: string;
	revoked: boolean;
}

export interface NewMessage {
	id: string;
	sender: string;
	/** Distinct local recipients, normalised: each gets an inbox entry. */
	recipients: string[];
	/** Recipients on other relays, one group per domain: each group becomes one item of the
	 * outbound queue, in the same transaction. */
	outbound?: OutboundGroup[];
	/** Whether the sender gets a `sent` entry: false for mail arriving from another relay. */
	fileSent?: boolean;
	armored: string;
	size: number;
	createdAt: string;
	/** Attachment blocks the message refers to; each must be recorded already. */
	blocks?: string[];
	/** With a key, a second store with the same sender and key returns the first message. */
	idempotency?: { key: string; requestHash: string };
	/** Imported from a file by its one recipient; `sender` is the address the file claims. */
	imported?: boolean;
	/** Proof-of-work stamps the message spends; a stamp spent before refuses the whole store. */
	stamps?: SpentStamp[];
}

export interface OutboundGroup {
	domain: string;
	recipients: string[];
	/** Proof-of-work stamps of these recipients, passed on verbatim. */
	stamps?: Record<string, string>;
}

/** One message on its way to one remote domain, as a worker claimed it. */
export interface OutboundItem extends OutboundGroup {
	messageId: string;
	sender: string;
	armored: string;
	/** Attempts including this one. */
	attempts: number;
	queuedAt: string;
	/** Proves the claim: only the holder of the current lease can settle the item. */
	leaseToken: string;
}

export type OutboundOutcome =
	| { state: 'delivered'; at: string; acceptance: string; signature: string }
	| { state: 'retry'; nextAttemptAt: string; problem: string }
	/** Given up: the bounce is filed in the sender's inbox in the same transaction. */
	| { state: 'failed'; at: string; problem: string; bounce?: NewMessage };

export interface OutboundStatus {
	domain: string;
	state: 'queued' | 'delivered' | 'failed';
	at: string | null;
	problem: string | null;
}

/** The relay's own signing key (Ed25519, PKCS#8 and raw public key, base64url). */
export interface RelayKeyRecord {
	privateKey: string;
	publicKey: string;
	createdAt: string;
}

export interface SpentStamp {
	/** SHA-256 of the stamp text. */
	hash: string;
	/** When the stamp stops being accepted anyway, so its record can go. */
	expiresAt: string;
}

export type StoreMessageResult =
	| { status: 'stored'; id: string; recipients: string[] }
	| { status: 'replayed'; id: string; recipients: string[] }
	/** The key was used before for a different request. */
	| { status: 'key-reused' }
	/** A stamp was spent before (by this or another message); nothing was stored. */
	| { status: 'stamp-reused' };

export interface MailboxEntry {
	/** Position in this owner's folder; increases in commit order. */
	seq: number;
	folder: Folder;
	messageId: string;
	sender: string;
	size: number;
	receivedAt: string;
	imported: boolean;
}

export interface MailboxMessage extends MailboxEntry {
	recipients: string[];
	armored: string;
}

/** One encrypted entry of an owner's mail state log; the relay cannot read it. */
export interface StateRecord {
	seq: number;
	entry: string;
	createdAt: string;
}

/** Where a member stands: only `accepted` members receive the list's mail. */
export type MembershipStatus = 'invited' | 'accepted' | 'declined';

/** A mailing list: mail to `address` is filed into the inbox of every member who accepted. */
export interface ListRecord {
	address: string;
	owner: string;
	/** Sorted by address. */
	members: { address: string; status: MembershipStatus }[];
}

/** A pg-style query (the shape rate-limiter-flexible asks of a client) on the relay's own
 * PostgreSQL connections. */
export interface SharedCounters {
	query(statement: {
		text: string;
		values?: unknown[];
	}): Promise<{ rows: unknown[]; rowCount: number }>;
}

export interface Storage {
	/** Creates the account and its directory key together; 'taken' if the address exists. */
	createAccount(account: AccountRecord): Promise<'created' | 'taken'>;
	getAccount(address: string): Promise<AccountRecord | undefined>;
	/** Adds a key claiming `address` to the directory; several keys for one address are a
	 * conflict that clients must resolve with the user. */
	addDirectoryKey(
		address: string,
		fingerprint: string,
		armored: string,
		source: KeySource,
		createdAt?: string
	): Promise<void>;
	listDirectoryKeys(address: string): Promise<DirectoryKeyRecord[]>;
	/** Replaces the account's key with `key`, in the account and the directory at once, if the
	 * account's key is still `expected` (false otherwise: a concurrent change won). The same
	 * fingerprint updates the key's signatures; another one is a rotation, and the old key leaves
	 * the directory. */
	replaceAccountKey(
		address: string,
		expected: string,
		key: { fingerprint: string; publicKey: string },
		now: string
	): Promise<boolean>;
	/** Directory keys whose local part hashes to `wkdHash` (the WKD lookup), on `domain`. */
	listDirectoryKeysByWkdHash(wkdHash: string, domain: string): Promise<DirectoryKeyRecord[]>;

	/** Stores a challenge; also drops challenges that expired before `now`. */
	createChallenge(challenge: Omit<ChallengeRecord, 'used'>, now: string): Promise<void>;
	getChallenge(nonce: string): Promise<ChallengeRecord | undefined>;
	/** Marks the challenge used and creates the session, atomically: only one login can ever
	 * redeem a challenge, even when two race. False if it was used or expired meanwhile. Also drops
	 * sessions that expired before `now`, which no token can use any more. */
	redeemChallenge(
		nonce: string,
		now: string,
		session: { tokenHash: string; address: string; expiresAt: string }
	): Promise<boolean>;
	getSession(tokenHash: string): Promise<SessionRecord | undefined>;
	/** The address's sessions that are neither revoked nor expired at `now`. */
	listSessions(address: string, now: string): Promise<{ tokenHash: string; expiresAt: string }[]>;
	revokeSession(tokenHash: string): Promise<void>;

	/** Stores the ciphertext once and files it in every recipient's inbox and the sender's sent
	 * folder, in one transaction. */
	storeMessage(message: NewMessage): Promise<StoreMessageResult>;
	/** `storeMessage` for several messages in one transaction, so that they share one commit (one
	 * fsync): for each, what `storeMessage` would have answered or the error it would have thrown.
	 * One message's failure leaves the others stored; all fail only if the commit does. */
	storeMessages(messages: NewMessage[]): Promise<PromiseSettledResult<StoreMessageResult>[]>;
	listMailbox(
		owner: string,
		folder: Folder,
		afterSeq: number,
		limit: number
	): Promise<MailboxEntry[]>;
	/** The message if it is filed in one of `owner`'s folders (inbox preferred). */
	getMailboxMessage(owner: string, id: string): Promise<MailboxMessage | undefined>;
	/** Removes the message from every folder of `owner`, and the stored ciphertext (with its
	 * block references) once no mailbox holds it; false if `owner` did not have it. */
	deleteFromMailbox(owner: string, id: string): Promise<boolean>;

	/** Appends to `owner`'s state log and returns its sequence number; with `compactThrough`,
	 * deletes the owner's entries up to that number in the same transaction. */
	appendState(
		owner: string,
		entry: string,
		createdAt: string,
		compactThrough?: number
	): Promise<number>;
	listState(owner: string, afterSeq: number, limit: number): Promise<StateRecord[]>;
	/** Bytes kept for `owner`, what the account quota counts: the messages in its folders (each
	 * once), its state log (without the entries up to `stateThrough`, which a compacting append
	 * deletes), its recovery backup and its transfers still open at `now`. Attachment blocks have
	 * their own quota (`heldBlockBytes`). */
	storedBytes(owner: string, now: string, stateThrough?: number): Promise<number>;
	/** `storedBytes` of several owners at once (one round trip for a letter's every mailbox);
	 * an owner who keeps nothing maps to 0. */
	storedBytesOf(owners: string[], now: string): Promise<Map<string, number>>;

	/** The relay key: the stored one, or `candidate` stored now if there is none yet. Relay
	 * processes sharing a database thus share one key. */
	relayKey(candidate: RelayKeyRecord): Promise<RelayKeyRecord>;
	/** Leases up to `limit` queued items due at `now` until `leaseUntil`: no other claim gets them
	 * meanwhile, in this process or another sharing the database. */
	claimOutbound(
		now: string,
		leaseUntil: string,
		leaseToken: string,
		limit: number
	): Promise<OutboundItem[]>;
	/** Records the outcome of an attempt; false (and nothing changed) if the lease was lost. */
	settleOutbound(
		item: Pick<OutboundItem, 'messageId' | 'domain' | 'leaseToken'>,
		outcome: OutboundOutcome
	): Promise<boolean>;
	/** How delivery of a message to each remote domain stands. */
	outboundStatus(messageId: string): Promise<OutboundStatus[]>;
	/** Whether `owner` has sent mail to `sender`, or has `allowHash` on their allow-list: then
	 * `sender` needs no proof-of-work stamp to write to `owner`. Imported mail never counts: its
	 * envelope is whatever the importer claims. */
	knowsSender(owner: string, sender: string, allowHash: string): Promise<boolean>;
	/** Replaces `owner`'s allow-list (hashes of contacts' addresses). */
	replaceAllowList(owner: string, hashes: string[]): Promise<void>;

	/** Where block bytes live: files under the data directory, or the PostgreSQL database. */
	readonly blockBytes: BlockBytes;
	/** Records a stored block and `holder` as one who uploaded it (again); refreshes its age. */
	recordBlock(hash: string, size: number, holder: string, now: string): Promise<void>;
	getBlock(hash: string): Promise<{ size: number } | undefined>;
	/** Whether `account` uploaded the block or has a message referring to it in a mailbox. */
	mayReadBlock(hash: string, account: string): Promise<boolean>;
	/** Bytes of the blocks `account` uploaded: what its quota counts. */
	heldBlockBytes(account: string): Promise<number>;
	/** Of `hashes`, those `holder` has not uploaded. */
	blocksNotHeld(holder: string, hashes: string[]): Promise<string[]>;
	/** Forgets the blocks no message refers to and nobody uploaded since `before`; returns them so
	 * their bytes can be deleted. */
	sweepBlocks(before: string): Promise<string[]>;

	/** Recovery backups and device transfers: ciphertext the relay keeps for its owner. */
	readonly backups: BackupStore;

	/** Creates the list, or replaces its members when `list.owner` owns it. A member named
	 * before keeps their answer; a new one is invited, except the owner, whose own act is
	 * consent. 'taken' when an account has the address, 'not-owner' when someone else owns it. */
	putList(list: {
		address: string;
		owner: string;
		members: string[];
		createdAt: string;
	}): Promise<'created' | 'replaced' | 'taken' | 'not-owner'>;
	getList(address: string): Promise<ListRecord | undefined>;
	/** Records `member`'s answer; false when the list does not name them. */
	answerMembership(
		list: string,
		member: string,
		status: Exclude<MembershipStatus, 'invited'>
	): Promise<boolean>;
	/** The lists that name `member`, sorted by address, with their answer. */
	listMemberships(
		member: string
	): Promise<{ list: string; owner: string; status: MembershipStatus }[]>;
	/** Deletes the list if `owner` owns it. */
	deleteList(address: string, owner: string): Promise<'deleted' | 'not-owner' | 'missing'>;

	/** Stores a one-time ticket for a mailbox's event stream; also drops expired tickets. */
	createEventTicket(
		ticket: { ticketHash: string; address: string; expiresAt: string },
		now: string
	): Promise<void>;
	/** Uses up the ticket: the address it was issued for, or undefined if unknown or expired. */
	redeemEventTicket(ticketHash: string, now: string): Promise<string | undefined>;
	/** Tells every relay process on this storage that these mailboxes have something new. */
	announceMailboxes(owners: string[]): Promise<void>;
	/** Calls `listener` with each mailbox owner any process announces; resolves once listening,
	 * with a function that stops. */
	watchMailboxes(listener: (owner: string) => void): Promise<() => Promise<void>>;
	/** Where every relay process on this storage counts rate limits together; only PostgreSQL
	 * has it (SQLite has one process, which counts in memory). */
	sharedCounters?: SharedCounters;

	close(): Promise<void>;
}

export interface RecoveryRecord {
	address: string;
	/** SHA-256 (hex) of the lookup secret derived from the recovery phrase. */
	lookupHash: string;
	/** The sealed backup, an armored OpenPGP message. */
	backup: string;
	updatedAt: string;
}

export interface TransferRecord {
	owner: string;
	expiresAt: string;
	claimed: boolean;
}

export interface BackupStore {
	/** Stores or replaces `address`'s recovery backup. */
	putRecovery(record: RecoveryRecord): Promise<'created' | 'replaced'>;
	getRecovery(address: string): Promise<RecoveryRecord | undefined>;
	deleteRecovery(address: string): Promise<void>;
	/** Opens a transfer slot holding `backup`; 'exists' if the id is in use. Also forgets
	 * transfers that expired before `now`. */
	createTransfer(
		transfer: { id: string; owner: string; backup: string; expiresAt: string },
		now: string
	): Promise<'created' | 'exists'>;
	/** The transfer if it has not expired at `now`. */
	getTransfer(id: string, now: string): Promise<TransferRecord | undefined>;
	/** Hands the backup out once: the first claim before expiry gets it and the ciphertext is
	 * deleted in the same transaction; every later claim gets undefined. */
	claimTransfer(id: string, now: string): Promise<string | undefined>;
	deleteTransfer(id: string): Promise<void>;
}

/** Block bytes by name. Callers verify names; a store only keeps what it is given, atomically. */
export interface BlockBytes {
	/** Stores the chunks under `hash`. If the chunks throw, nothing is stored. */
	write(hash: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
	/** Bytes `start` to `end` inclusive, or undefined if the block is not there. */
	read(hash: string, start: number, end: number): Promise<ReadableStream<Uint8Array> | undefined>;
	delete(hash: string): Promise<void>;
}
