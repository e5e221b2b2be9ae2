// Wire schemas of the relay API, shared by the relay (which validates every request) and the
// clients (which validate every response). docs/PROTOCOL.md describes the same shapes in prose.
import * as v from 'valibot';
import { AddressSchema } from './address';

/** Upper bounds that keep a single request cheap for the relay. */
export const LIMITS = {
	/** An armored public key: Curve25519 keys are ~1 KiB, RSA-4096 with many signatures ~30 KiB. */
	publicKeyChars: 64 * 1024,
	/** An armored message body (attachments travel separately as blocks). */
	messageChars: 4 * 1024 * 1024,
	/** Recipients of one message. */
	recipients: 100,
	/** Request bodies per endpoint, in bytes, checked while reading and before parsing: each is
	 * the largest valid request with room to spare, so a flood costs the relay little. */
	bodyBytes: {
		register: 80 * 1024,
		challenge: 1024,
		login: 32 * 1024,
		/** 10,000 hashes of 64 hex digits, quoted and separated. */
		allowList: 700 * 1024,
		send: 5 * 1024 * 1024,
		/** One attachment block: 8 MiB of plaintext becomes a little more as an OpenPGP packet. */
		block: 8 * 1024 * 1024 + 64 * 1024,
		/** A sealed backup (key and contacts) with a little JSON around it. */
		backup: 1024 * 1024 + 4 * 1024,
		recoveryOpen: 1024,
		/** One encrypted entry of the mail state log (folders and flags, or a compacted snapshot). */
		state: 1024 * 1024 + 4 * 1024,
		list: 16 * 1024,
		/** A batch of key lookups: `lookupBatch` addresses of 254 characters, quoted. */
		keysLookup: 16 * 1024
	},
	/** Addresses one POST /api/keys/lookup may ask about. */
	lookupBatch: 50,
	/** A sealed backup: the key, and contacts' public keys of about 1 KiB each. */
	backupChars: 1024 * 1024,
	/** An armored mail state entry: a snapshot of many thousand messages' flags fits. */
	stateChars: 1024 * 1024,
	/** Attachment blocks one message may reference (65536 × 8 MiB = 512 GiB). */
	blocksPerMessage: 65536,
	/** Messages returned by one mailbox listing unless it asks for another `limit`. */
	listPage: 200,
	/** The largest `limit` a mailbox listing may ask for (about 200 KB of summaries). */
	listPageMax: 1000,
	/** Contacts on one proof-of-work allow-list. */
	allowList: 10_000,
	/** Members of one mailing list. */
	listMembers: 100
} as const;

const Armored = (kind: 'PUBLIC KEY BLOCK' | 'MESSAGE' | 'SIGNATURE', maxChars: number) =>
	v.pipe(
		v.string(),
		v.maxLength(maxChars, `That ${kind.toLowerCase()} is too large.`),
		v.startsWith(
			`-----BEGIN PGP ${kind}-----`,
			`Expected an ASCII-armored OpenPGP ${kind.toLowerCase()} (it starts with "-----BEGIN PGP ${kind}-----").`
		)
	);

export const ArmoredPublicKey = Armored('PUBLIC KEY BLOCK', LIMITS.publicKeyChars);
export const ArmoredMessage = Armored('MESSAGE', LIMITS.messageChars);
export const ArmoredSignature = Armored('SIGNATURE', 16 * 1024);
export const ArmoredBackup = Armored('MESSAGE', LIMITS.backupChars);

/** An attachment block's name: the SHA-256 of its bytes, 64 lowercase hex digits. */
export const BLOCK_HASH = /^[0-9a-f]{64}$/;
export const BlockHashSchema = v.pipe(
	v.string(),
	v.regex(BLOCK_HASH, 'A block is named by the SHA-256 of its bytes in 64 lowercase hex digits.')
);

/** Uppercase hex, 40 characters for v4 keys, 64 for v6 keys. */
export const FingerprintSchema = v.pipe(v.string(), v.regex(/^(?:[0-9A-F]{40}|[0-9A-F]{64})$/));

export const ErrorBody = v.object({
	error: v.object({
		/** Stable machine-readable kind, e.g. "address-taken", "unauthorised", "invalid-request". */
		kind: v.string(),
		/** One plain sentence for people using the API directly (curl). Letterlock's own clients
		 * never show it: they say what `kind` means in their own words and language. */
		message: v.string(),
		/** The addresses the refusal is about (e.g. the unknown recipients), for the client's
		 * sentence; clients use only valid addresses from it. */
		addresses: v.optional(v.array(v.string()))
	})
});
export type ErrorBody = v.InferOutput<typeof ErrorBody>;

export const RelayInfo = v.object({
	domain: v.string(),
	origin: v.string(),
	version: v.string(),
	/** Leading zero bits of the proof-of-work stamp a stranger's first mail needs; 0: none. */
	powBits: v.number()
});
export type RelayInfo = v.InferOutput<typeof RelayInfo>;

// POST /api/accounts
export const RegisterRequest = v.strictObject({
	address: AddressSchema,
	publicKey: ArmoredPublicKey
});
export const RegisterResponse = v.object({
	address: AddressSchema,
	fingerprint: FingerprintSchema
});

// PUT /api/keys/{address} (the owner only): the same key with new signatures (a longer expiry,
// a revocation), or a successor certified by the current key (a rotation).
export const PublishKeyRequest = v.strictObject({ publicKey: ArmoredPublicKey });
export const PublishKeyResponse = v.object({
	address: AddressSchema,
	fingerprint: FingerprintSchema,
	change: v.picklist(['updated', 'revoked', 'rotated'])
});
export type PublishKeyResponse = v.InferOutput<typeof PublishKeyResponse>;

// POST /api/auth/challenge
export const ChallengeRequest = v.strictObject({ address: AddressSchema });
export const ChallengeResponse = v.object({
	/** Text the client signs (detached, armored) with the account key. */
	challenge: v.string(),
	expiresAt: v.string()
});

// POST /api/auth/sessions
export const LoginRequest = v.strictObject({
	address: AddressSchema,
	challenge: v.pipe(v.string(), v.maxLength(1024)),
	signature: ArmoredSignature
});
export const LoginResponse = v.object({
	/** Sent back as `Authorization: Bearer <token>`. The relay stores only its SHA-256. */
	token: v.string(),
	expiresAt: v.string()
});

// GET /api/auth/sessions: the caller's own live sessions, newest first
export const SessionInfo = v.object({
	/** Names the session in DELETE /api/auth/sessions/:id; not the token. */
	id: v.string(),
	createdAt: v.string(),
	expiresAt: v.string(),
	/** The session making this request. */
	current: v.boolean()
});
export type SessionInfo = v.InferOutput<typeof SessionInfo>;
export const SessionsResponse = v.object({ sessions: v.array(SessionInfo) });

// GET /api/keys/:address
export const DirectoryKey = v.object({
	fingerprint: FingerprintSchema,
	publicKey: v.string(),
	createdAt: v.string()
});
export const LookupResponse = v.object({
	address: AddressSchema,
	keys: v.array(DirectoryKey),
	/** True when more than one key claims the address: clients must not pick one automatically. */
	conflict: v.boolean()
});
export type LookupResponse = v.InferOutput<typeof LookupResponse>;

// POST /api/keys/lookup: several addresses in one request, counted as one lookup by the rate
// limit, so a client resolves a page of senders at once instead of one request per address.
export const KeysLookupRequest = v.object({
	addresses: v.pipe(
		v.array(AddressSchema),
		v.minLength(1, 'Ask about at least one address.'),
		v.maxLength(LIMITS.lookupBatch, `Ask about at most ${LIMITS.lookupBatch} addresses at once.`)
	)
});
/** One answer per address asked: its keys, no key at all, or its relay cannot be asked now. */
export const KeysLookupAnswer = v.variant('status', [
	v.object({ status: v.literal('found'), ...LookupResponse.entries }),
	v.object({ status: v.literal('unknown'), address: AddressSchema }),
	v.object({ status: v.literal('unavailable'), address: AddressSchema, message: v.string() })
]);
export type KeysLookupAnswer = v.InferOutput<typeof KeysLookupAnswer>;
export const KeysLookupResponse = v.object({
	answers: v.pipe(v.array(KeysLookupAnswer), v.maxLength(LIMITS.lookupBatch))
});
export type KeysLookupResponse = v.InferOutput<typeof KeysLookupResponse>;

/** Proof-of-work stamps by recipient address: the client computes them, the recipient's relay
 * checks them; relays in between carry them verbatim. */
export const StampsSchema = v.pipe(
	v.record(AddressSchema, v.pipe(v.string(), v.maxLength(700, 'That stamp is too long.'))),
	v.check(
		(stamps) => Object.keys(stamps).length <= LIMITS.recipients,
		`A message can carry at most ${LIMITS.recipients} stamps.`
	)
);

// POST /api/mailboxes/:address/imports
export const ImportRequest = v.strictObject({
	/** The sender the imported file names; shown until the message is decrypted. */
	from: AddressSchema,
	/** Encrypted to the owner (as received, or by the owner's client for plain mail). */
	message: ArmoredMessage
});
export type ImportRequest = v.InferOutput<typeof ImportRequest>;
export const ImportResponse = v.object({
	id: v.string(),
	/** The Idempotency-Key was used before: `id` is the letter filed then, nothing new. */
	replayed: v.optional(v.literal(true))
});

// POST /api/messages
export const SendRequest = v.strictObject({
	to: v.pipe(
		v.array(AddressSchema),
		v.minLength(1, 'Add at least one recipient.'),
		v.maxLength(LIMITS.recipients, `A message can have at most ${LIMITS.recipients} recipients.`)
	),
	message: ArmoredMessage,
	/** Proof-of-work stamps by recipient address, for recipients who do not know the sender;
	 * passed on verbatim to the recipient's relay. */
	stamps: v.optional(StampsSchema),
	/** The attachment blocks the message refers to, each uploaded first by the sender. */
	blocks: v.optional(
		v.pipe(
			v.array(BlockHashSchema),
			v.maxLength(
				LIMITS.blocksPerMessage,
				`A message can refer to at most ${LIMITS.blocksPerMessage} blocks.`
			)
		)
	)
});
export const BlockStored = v.object({
	hash: BlockHashSchema,
	size: v.number(),
	/** False when the relay already had the block. */
	stored: v.boolean()
});
export const SendResponse = v.object({
	id: v.string(),
	recipients: v.array(AddressSchema)
});

// GET /api/pow/:address: the stamp this recipient needs from the caller
export const PowResponse = v.object({
	address: AddressSchema,
	bits: v.number(),
	/** For a mailing list: what each member who would receive the mail needs, stamped per member. */
	members: v.optional(v.array(v.object({ address: AddressSchema, bits: v.number() })))
});

// PUT /api/pow/allow-list: the caller's contacts, as `allowListHash(owner, contact)`
export const AllowListRequest = v.strictObject({
	hashes: v.pipe(
		v.array(
			v.pipe(
				v.string(),
				v.regex(BLOCK_HASH, 'Each allow-list entry is a SHA-256 in 64 lowercase hex digits.')
			)
		),
		v.maxLength(LIMITS.allowList, `An allow-list holds at most ${LIMITS.allowList} contacts.`)
	)
});

export const Folder = v.picklist(['inbox', 'sent']);
export type Folder = v.InferOutput<typeof Folder>;

// GET /api/mailboxes/:address/messages?folder=inbox&after=CURSOR&limit=N
/** The `limit` of a mailbox listing, as the query string carries it. */
export const ListLimit = v.pipe(
	v.string(),
	v.regex(/^[1-9][0-9]{0,3}$/, `The limit must be a whole number from 1 to ${LIMITS.listPageMax}.`),
	v.transform(Number),
	v.maxValue(
		LIMITS.listPageMax,
		`The limit must be a whole number from 1 to ${LIMITS.listPageMax}.`
	)
);
export const MessageSummary = v.object({
	id: v.string(),
	folder: Folder,
	/** Envelope sender as the relay saw it (authenticated); the signed From is inside. */
	from: AddressSchema,
	receivedAt: v.string(),
	size: v.number(),
	/** Imported from a file by the mailbox owner: `from` is what the file claims, unchecked. */
	imported: v.optional(v.literal(true))
});
export type MessageSummary = v.InferOutput<typeof MessageSummary>;
export const ListResponse = v.object({
	messages: v.array(MessageSummary),
	/** Pass back as `after` to get only newer messages. */
	cursor: v.string()
});

/** How the relay's delivery of one message to one remote domain stands, as the sender sees it. */
export const DeliveryStatus = v.object({
	domain: v.string(),
	state: v.picklist(['queued', 'delivered', 'failed']),
	/** When it was delivered (the receiving relay's signed time) or given up. */
	at: v.nullable(v.string()),
	/** Why the last attempt failed, in one sentence. */
	problem: v.nullable(v.string())
});
export type DeliveryStatus = v.InferOutput<typeof DeliveryStatus>;

// GET /api/mailboxes/:address/messages/:id
export const StoredMessage = v.object({
	...MessageSummary.entries,
	to: v.array(AddressSchema),
	message: v.string(),
	/** On the sender's copy of mail to other relays: how delivery to each domain stands. */
	deliveries: v.optional(v.array(DeliveryStatus))
});
export type StoredMessage = v.InferOutput<typeof StoredMessage>;

/** 32 bytes in base64url without padding: a recovery lookup secret or a transfer id. */
export const SECRET_TAG = /^[A-Za-z0-9_-]{43}$/;
const SecretTag = (what: string) =>
	v.pipe(v.string(), v.regex(SECRET_TAG, `${what} is 32 bytes in base64url (43 characters).`));

// PUT /api/recovery (authenticated): the caller's recovery backup, sealed with their phrase
export const RecoveryPutRequest = v.strictObject({
	/** Derived from the phrase; the relay keeps only its SHA-256 and hands the backup out only
	 * to whoever sends it again. */
	lookup: SecretTag('The lookup secret'),
	backup: ArmoredBackup
});
// PUT and GET /api/recovery
export const RecoveryStatus = v.object({ updatedAt: v.string() });
// POST /api/recovery/open
export const RecoveryOpenRequest = v.strictObject({
	address: AddressSchema,
	lookup: SecretTag('The lookup secret')
});
// POST /api/recovery/open, POST /api/transfers/:id/claim
export const SealedBackup = v.object({ backup: v.string() });

// PUT /api/transfers/:id (authenticated): a backup for another device, sealed with a code
export const TransferPutRequest = v.strictObject({ backup: ArmoredBackup });
// PUT and GET /api/transfers/:id
export const TransferStatus = v.object({
	expiresAt: v.string(),
	/** True once the other device fetched it; the ciphertext is then gone from the relay. */
	claimed: v.boolean()
});
export const TransferIdSchema = SecretTag('A transfer id');

// Mail state log: folders and flags, encrypted to the owner's own key (docs/PROTOCOL.md).
// POST /api/mailboxes/:address/state
export const StateAppendRequest = v.strictObject({
	entry: Armored('MESSAGE', LIMITS.stateChars),
	/** Deletes the owner's entries up to this sequence number: the new entry replaces them. */
	compactThrough: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)))
});
export const StateAppended = v.object({ seq: v.number() });
// GET /api/mailboxes/:address/state?after=CURSOR
export const StateEntry = v.object({ seq: v.number(), entry: v.string(), createdAt: v.string() });
export type StateEntry = v.InferOutput<typeof StateEntry>;
export const StateLogResponse = v.object({
	entries: v.array(StateEntry),
	/** Pass back as `after` to get only newer entries. */
	cursor: v.string()
});

// POST /api/mailboxes/:address/event-tickets → a one-time ticket for
// GET /api/mailboxes/:address/events?ticket=TICKET (server-sent events)
export const EventTicket = v.pipe(
	v.string(),
	v.regex(/^[A-Za-z0-9_-]{43}$/, 'The ticket is not one this relay gave out; ask for a new one.')
);
export const EventTicketResponse = v.object({ ticket: EventTicket, expiresAt: v.string() });
export type EventTicketResponse = v.InferOutput<typeof EventTicketResponse>;

// PUT /api/lists/:address (the list's owner) and GET /api/lists/:address (any account). A member
// the owner names is invited; mail to the list reaches only the members who accepted.
export const ListRequest = v.strictObject({
	members: v.pipe(
		v.array(AddressSchema),
		v.minLength(1, 'A list needs at least one member.'),
		v.maxLength(LIMITS.listMembers, `A list can have at most ${LIMITS.listMembers} members.`)
	)
});
export const MailingList = v.object({
	address: AddressSchema,
	owner: AddressSchema,
	/** The members mail to the list reaches: those who accepted. */
	members: v.array(AddressSchema),
	/** Shown to the owner alone: members who have not answered yet, and who declined. */
	invited: v.optional(v.array(AddressSchema)),
	declined: v.optional(v.array(AddressSchema))
});
export type MailingList = v.InferOutput<typeof MailingList>;

export const MembershipStatus = v.picklist(['invited', 'accepted', 'declined']);
export type MembershipStatus = v.InferOutput<typeof MembershipStatus>;

// PUT /api/lists/:address/membership (a member, for themself): accept or decline (also: leave)
export const MembershipRequest = v.strictObject({
	status: v.picklist(['accepted', 'declined'], 'The answer must be "accepted" or "declined".')
});
export const Membership = v.object({
	list: AddressSchema,
	owner: AddressSchema,
	status: MembershipStatus
});
export type Membership = v.InferOutput<typeof Membership>;
// GET /api/memberships: the lists that name the caller, whatever they answered
export const MembershipsResponse = v.object({ memberships: v.array(Membership) });
