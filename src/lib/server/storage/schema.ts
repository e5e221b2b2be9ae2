// The tables, shared by both backends in spirit; each backend spells its own column types.
// Migrations are append-only: a deployed step is never edited, a new one is added.
//
// Mailbox positions come from a per-(owner, folder) counter row that each delivery updates inside
// its transaction. The row lock makes concurrent deliveries to one mailbox commit in sequence
// order, so a client that lists "after N" can never skip a message that committed late (a global
// sequence could hand out 10 and 11 and commit 11 first).
import type { NewMessage } from './types';

/** The attachment block tables, spelled in each backend's types; fixed once deployed, like every
 * migration step. */
function blockTables(integer: string, time: string): string {
	return `CREATE TABLE blocks (
		hash TEXT PRIMARY KEY,
		size ${integer} NOT NULL,
		last_put_at ${time} NOT NULL
	);
	CREATE INDEX blocks_last_put ON blocks (last_put_at);
	CREATE TABLE block_holders (
		hash TEXT NOT NULL REFERENCES blocks (hash) ON DELETE CASCADE,
		account TEXT NOT NULL,
		PRIMARY KEY (account, hash)
	);
	CREATE INDEX block_holders_hash ON block_holders (hash);
	CREATE TABLE message_blocks (
		message_id TEXT NOT NULL REFERENCES messages (id),
		hash TEXT NOT NULL REFERENCES blocks (hash),
		PRIMARY KEY (hash, message_id)
	);`;
}

/** Federation: the relay's signing key, and the outbound queue (one row per message and remote
 * domain; `lease_token` marks the worker that claimed it until `lease_until`). */
function federationTables(integer: string, time: string): string {
	return `CREATE TABLE relay_keys (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		private_key TEXT NOT NULL,
		public_key TEXT NOT NULL,
		created_at ${time} NOT NULL
	);
	CREATE TABLE outbound_queue (
		message_id TEXT NOT NULL REFERENCES messages (id),
		domain TEXT NOT NULL,
		sender TEXT NOT NULL,
		recipients TEXT NOT NULL,
		stamps TEXT,
		state TEXT NOT NULL CHECK (state IN ('queued', 'delivered', 'failed')),
		attempts ${integer} NOT NULL DEFAULT 0,
		queued_at ${time} NOT NULL,
		next_attempt_at ${time} NOT NULL,
		lease_until ${time},
		lease_token TEXT,
		problem TEXT,
		settled_at ${time},
		acceptance TEXT,
		acceptance_signature TEXT,
		PRIMARY KEY (message_id, domain)
	);
	CREATE INDEX outbound_queue_due ON outbound_queue (next_attempt_at) WHERE state = 'queued';`;
}

/** Proof of work: stamps spent (kept until they expire, so none is accepted twice) and each
 * owner's allow-list of hashed contacts. */
function powTables(time: string): string {
	return `CREATE TABLE spent_stamps (
		hash TEXT PRIMARY KEY,
		expires_at ${time} NOT NULL
	);
	CREATE INDEX spent_stamps_expiry ON spent_stamps (expires_at);
	CREATE TABLE allow_lists (
		owner TEXT NOT NULL,
		hash TEXT NOT NULL,
		PRIMARY KEY (owner, hash)
	);`;
}

/** Thrown inside a store transaction when a stamp was spent before, to roll it back. */
export class StampSpentBefore extends Error {}

/** Recovery backups (one per address, found by the hash of a secret derived from the phrase)
 * and short-lived device transfers; fixed once deployed, like every migration step. */
function backupTables(time: string, flag: string): string {
	return `CREATE TABLE recovery_backups (
		address TEXT PRIMARY KEY,
		lookup_hash TEXT NOT NULL,
		backup TEXT NOT NULL,
		updated_at ${time} NOT NULL
	);
	CREATE TABLE transfers (
		id TEXT PRIMARY KEY,
		owner TEXT NOT NULL,
		backup TEXT,
		expires_at ${time} NOT NULL,
		claimed ${flag} NOT NULL
	);
	CREATE INDEX transfers_expiry ON transfers (expires_at);`;
}

/** The mail state log; its sequence comes from the owner's `mailbox_counters` row with folder
 * 'state', the same per-owner lock that orders deliveries. */
function stateLogTable(integer: string, time: string): string {
	return `CREATE TABLE state_log (
		owner TEXT NOT NULL,
		seq ${integer} NOT NULL,
		entry TEXT NOT NULL,
		created_at ${time} NOT NULL,
		PRIMARY KEY (owner, seq)
	);`;
}

function eventTicketsAndLists(time: string): string {
	return `CREATE TABLE event_tickets (
		ticket_hash TEXT PRIMARY KEY,
		address TEXT NOT NULL,
		expires_at ${time} NOT NULL
	);
	CREATE INDEX event_tickets_expiry ON event_tickets (expires_at);
	CREATE TABLE lists (
		address TEXT PRIMARY KEY,
		owner TEXT NOT NULL,
		created_at ${time} NOT NULL
	);
	CREATE TABLE list_members (
		list TEXT NOT NULL REFERENCES lists (address) ON DELETE CASCADE,
		member TEXT NOT NULL,
		PRIMARY KEY (list, member)
	);`;
}

/** List members consent: each row says whether the member accepted. Rows from before were made
 * without asking anyone, so they start as invitations, except the owner's own membership. */
export const LIST_CONSENT = `ALTER TABLE list_members ADD COLUMN status TEXT NOT NULL DEFAULT 'invited'
		CHECK (status IN ('invited', 'accepted', 'declined'));
	UPDATE list_members SET status = 'accepted'
		WHERE member = (SELECT owner FROM lists WHERE lists.address = list_members.list);
	CREATE INDEX list_members_member ON list_members (member);`;

export const SQLITE_MIGRATIONS: string[] = [
	`CREATE TABLE accounts (
		address TEXT PRIMARY KEY,
		fingerprint TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE directory_keys (
		id INTEGER PRIMARY KEY,
		address TEXT NOT NULL,
		fingerprint TEXT NOT NULL,
		armored TEXT NOT NULL,
		source TEXT NOT NULL CHECK (source IN ('account', 'imported')),
		wkd_hash TEXT NOT NULL,
		created_at TEXT NOT NULL,
		UNIQUE (address, fingerprint)
	);
	CREATE INDEX directory_keys_wkd ON directory_keys (wkd_hash);
	CREATE TABLE challenges (
		nonce TEXT PRIMARY KEY,
		address TEXT NOT NULL,
		expires_at TEXT NOT NULL,
		used INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX challenges_expiry ON challenges (expires_at);
	CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY,
		address TEXT NOT NULL,
		expires_at TEXT NOT NULL,
		revoked INTEGER NOT NULL DEFAULT 0
	);
	CREATE TABLE messages (
		id TEXT PRIMARY KEY,
		sender TEXT NOT NULL,
		recipients TEXT NOT NULL,
		armored TEXT NOT NULL,
		size INTEGER NOT NULL,
		created_at TEXT NOT NULL,
		idempotency_key TEXT,
		request_hash TEXT,
		UNIQUE (sender, idempotency_key)
	);
	CREATE TABLE mailbox_counters (
		owner TEXT NOT NULL,
		folder TEXT NOT NULL,
		last_seq INTEGER NOT NULL,
		PRIMARY KEY (owner, folder)
	);
	CREATE TABLE mailbox_entries (
		owner TEXT NOT NULL,
		folder TEXT NOT NULL CHECK (folder IN ('inbox', 'sent')),
		seq INTEGER NOT NULL,
		message_id TEXT NOT NULL REFERENCES messages (id),
		received_at TEXT NOT NULL,
		PRIMARY KEY (owner, folder, seq),
		UNIQUE (owner, folder, message_id)
	);
	CREATE INDEX mailbox_entries_message ON mailbox_entries (owner, message_id);`,
	// A person lists and revokes their own sessions.
	`CREATE INDEX sessions_address ON sessions (address);`,
	// Attachment blocks:
	// what each block is, who uploaded it (for quota and reading), which messages refer to it.
	blockTables('INTEGER', 'TEXT'),
	federationTables('INTEGER', 'TEXT'),
	// Mail a person imported from a file into their own inbox: the sender is what the file
	// claims, not an account the relay authenticated.
	`ALTER TABLE messages ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;`,
	powTables('TEXT'),
	// Recovery backups and device transfers (ciphertext only).
	backupTables('TEXT', 'INTEGER'),
	// Folders and flags, encrypted by the owner's clients (docs/PROTOCOL.md, Mail state).
	stateLogTable('INTEGER', 'TEXT'),
	// One-time tickets that open a mailbox's event stream (EventSource cannot send a token), and
	// mailing lists: an address on this relay whose mail is filed into each member's inbox.
	eventTicketsAndLists('TEXT'),
	LIST_CONSENT
];

export const POSTGRES_MIGRATIONS: string[] = [
	`CREATE TABLE accounts (
		address TEXT PRIMARY KEY,
		fingerprint TEXT NOT NULL,
		created_at TIMESTAMPTZ NOT NULL
	);
	CREATE TABLE directory_keys (
		id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		address TEXT NOT NULL,
		fingerprint TEXT NOT NULL,
		armored TEXT NOT NULL,
		source TEXT NOT NULL CHECK (source IN ('account', 'imported')),
		wkd_hash TEXT NOT NULL,
		created_at TIMESTAMPTZ NOT NULL,
		UNIQUE (address, fingerprint)
	);
	CREATE INDEX directory_keys_wkd ON directory_keys (wkd_hash);
	CREATE TABLE challenges (
		nonce TEXT PRIMARY KEY,
		address TEXT NOT NULL,
		expires_at TIMESTAMPTZ NOT NULL,
		used BOOLEAN NOT NULL DEFAULT FALSE
	);
	CREATE INDEX challenges_expiry ON challenges (expires_at);
	CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY,
		address TEXT NOT NULL,
		expires_at TIMESTAMPTZ NOT NULL,
		revoked BOOLEAN NOT NULL DEFAULT FALSE
	);
	CREATE TABLE messages (
		id TEXT PRIMARY KEY,
		sender TEXT NOT NULL,
		recipients TEXT NOT NULL,
		armored TEXT NOT NULL,
		size INTEGER NOT NULL,
		created_at TIMESTAMPTZ NOT NULL,
		idempotency_key TEXT,
		request_hash TEXT,
		UNIQUE (sender, idempotency_key)
	);
	CREATE TABLE mailbox_counters (
		owner TEXT NOT NULL,
		folder TEXT NOT NULL,
		last_seq BIGINT NOT NULL,
		PRIMARY KEY (owner, folder)
	);
	CREATE TABLE mailbox_entries (
		owner TEXT NOT NULL,
		folder TEXT NOT NULL CHECK (folder IN ('inbox', 'sent')),
		seq BIGINT NOT NULL,
		message_id TEXT NOT NULL REFERENCES messages (id),
		received_at TIMESTAMPTZ NOT NULL,
		PRIMARY KEY (owner, folder, seq),
		UNIQUE (owner, folder, message_id)
	);
	CREATE INDEX mailbox_entries_message ON mailbox_entries (owner, message_id);`,
	`CREATE INDEX sessions_address ON sessions (address);`,
	// Attachment blocks:
	// what each block is, who uploaded it (for quota and reading), which messages refer to it.
	// Block bytes live in the database too, as bytea (at most one block, ~8 MiB, per row).
	blockTables('BIGINT', 'TIMESTAMPTZ') +
		`
	CREATE TABLE block_data (
		hash TEXT PRIMARY KEY,
		data BYTEA NOT NULL
	);`,
	federationTables('INTEGER', 'TIMESTAMPTZ'),
	`ALTER TABLE messages ADD COLUMN imported BOOLEAN NOT NULL DEFAULT false;`,
	powTables('TIMESTAMPTZ'),
	// Recovery backups and device transfers (ciphertext only).
	backupTables('TIMESTAMPTZ', 'BOOLEAN'),
	stateLogTable('BIGINT', 'TIMESTAMPTZ'),
	eventTicketsAndLists('TIMESTAMPTZ'),
	LIST_CONSENT,
	// Rate limits every relay process counts together (rate-limit-shared.ts), in the layout
	// rate-limiter-flexible uses: a hashed key, the points spent and when the window ends (ms).
	`CREATE TABLE rate_limits (
		key VARCHAR(255) PRIMARY KEY,
		points INTEGER NOT NULL DEFAULT 0,
		expire BIGINT
	);`
];

/** Every recipient a message names, local and remote: what its `recipients` column keeps. */
export function allRecipients(message: NewMessage): string[] {
	return [...message.recipients, ...(message.outbound ?? []).flatMap((group) => group.recipients)];
}

/** Every (owner, folder) a delivery writes to, in one global order so that transactions lock the
 * counter rows in the same order and cannot deadlock. */
export function deliveryTargets(
	message: Pick<NewMessage, 'sender' | 'recipients' | 'fileSent' | 'imported'>
): { owner: string; folder: 'inbox' | 'sent' }[] {
	// Mail from another relay, or imported from a file, was not sent by anyone here.
	const fileSent = message.fileSent !== false && !message.imported;
	const targets = [
		...message.recipients.map((owner) => ({ owner, folder: 'inbox' as const })),
		...(fileSent ? [{ owner: message.sender, folder: 'sent' as const }] : [])
	];
	return targets.sort((a, b) =>
		a.owner === b.owner ? a.folder.localeCompare(b.folder) : a.owner < b.owner ? -1 : 1
	);
}
