// The tables of both databases, in one migration list; a dialect spells the column types.
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

/** How each database spells a column type; the steps below are written once with these. */
export interface ColumnTypes {
	/** A primary key the database numbers itself. */
	serial: string;
	/** A 64-bit count (sizes, sequence numbers): INTEGER in SQLite, BIGINT in PostgreSQL. */
	bigint: string;
	time: string;
	/** A yes/no column: 0/1 in SQLite, BOOLEAN in PostgreSQL. */
	flag: string;
	/** Its "no", as each database's first steps spelled it. */
	no: string;
	bytes: string;
}

/** The one migration list: step N brings a database from version N to N+1, on either engine.
 * SQLite records the version in `user_version`, PostgreSQL in `schema_version` (dialect.ts). */
export const migrations = (t: ColumnTypes): string[] => [
	`CREATE TABLE accounts (
		address TEXT PRIMARY KEY,
		fingerprint TEXT NOT NULL,
		created_at ${t.time} NOT NULL
	);
	CREATE TABLE directory_keys (
		id ${t.serial},
		address TEXT NOT NULL,
		fingerprint TEXT NOT NULL,
		armored TEXT NOT NULL,
		source TEXT NOT NULL CHECK (source IN ('account', 'imported')),
		wkd_hash TEXT NOT NULL,
		created_at ${t.time} NOT NULL,
		UNIQUE (address, fingerprint)
	);
	CREATE INDEX directory_keys_wkd ON directory_keys (wkd_hash);
	CREATE TABLE challenges (
		nonce TEXT PRIMARY KEY,
		address TEXT NOT NULL,
		expires_at ${t.time} NOT NULL,
		used ${t.flag} NOT NULL DEFAULT ${t.no}
	);
	CREATE INDEX challenges_expiry ON challenges (expires_at);
	CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY,
		address TEXT NOT NULL,
		expires_at ${t.time} NOT NULL,
		revoked ${t.flag} NOT NULL DEFAULT ${t.no}
	);
	CREATE TABLE messages (
		id TEXT PRIMARY KEY,
		sender TEXT NOT NULL,
		recipients TEXT NOT NULL,
		armored TEXT NOT NULL,
		size INTEGER NOT NULL,
		created_at ${t.time} NOT NULL,
		idempotency_key TEXT,
		request_hash TEXT,
		UNIQUE (sender, idempotency_key)
	);
	CREATE TABLE mailbox_counters (
		owner TEXT NOT NULL,
		folder TEXT NOT NULL,
		last_seq ${t.bigint} NOT NULL,
		PRIMARY KEY (owner, folder)
	);
	CREATE TABLE mailbox_entries (
		owner TEXT NOT NULL,
		folder TEXT NOT NULL CHECK (folder IN ('inbox', 'sent')),
		seq ${t.bigint} NOT NULL,
		message_id TEXT NOT NULL REFERENCES messages (id),
		received_at ${t.time} NOT NULL,
		PRIMARY KEY (owner, folder, seq),
		UNIQUE (owner, folder, message_id)
	);
	CREATE INDEX mailbox_entries_message ON mailbox_entries (owner, message_id);`,
	// A person lists and revokes their own sessions.
	`CREATE INDEX sessions_address ON sessions (address);`,
	// Attachment blocks: what each block is, who uploaded it (for quota and reading), which
	// messages refer to it, and the bytes as rows (a SQLite relay keeps them as files instead).
	blockTables(t.bigint, t.time) +
		`
	CREATE TABLE block_data (
		hash TEXT PRIMARY KEY,
		data ${t.bytes} NOT NULL
	);`,
	federationTables('INTEGER', t.time),
	// Mail a person imported from a file into their own inbox: the sender is what the file
	// claims, not an account the relay authenticated.
	`ALTER TABLE messages ADD COLUMN imported ${t.flag} NOT NULL DEFAULT ${t.no};`,
	powTables(t.time),
	// Recovery backups and device transfers (ciphertext only).
	backupTables(t.time, t.flag),
	// Folders and flags, encrypted by the owner's clients (docs/PROTOCOL.md, Mail state).
	stateLogTable(t.bigint, t.time),
	// One-time tickets that open a mailbox's event stream (EventSource cannot send a token), and
	// mailing lists: an address on this relay whose mail is filed into each member's inbox.
	eventTicketsAndLists(t.time),
	LIST_CONSENT,
	// Rate limits every relay process counts together (rate-limit-shared.ts), in the layout
	// rate-limiter-flexible uses: a hashed key, the points spent and when the window ends (ms).
	// Only PostgreSQL relays use it; SQLite has one process, which counts in memory.
	`CREATE TABLE IF NOT EXISTS rate_limits (
		key VARCHAR(255) PRIMARY KEY,
		points INTEGER NOT NULL DEFAULT 0,
		expire BIGINT
	);`,
	// Until the two backends became one, SQLite files were made without block_data (step 3 made
	// it on PostgreSQL only) and without rate_limits (step 11); this evens them out.
	`CREATE TABLE IF NOT EXISTS block_data (
		hash TEXT PRIMARY KEY,
		data ${t.bytes} NOT NULL
	);`,
	accountBytesTable(t.bigint)
];

/** What each account keeps of mail (each letter in its folders once) and of state log, counted
 * as it changes, in the transactions that change it (messages.ts, mail-state.ts), so the quota
 * reads one row instead of summing a mailbox that only grows. Filled here from existing rows. */
function accountBytesTable(bigint: string): string {
	return `CREATE TABLE account_bytes (
		owner TEXT PRIMARY KEY,
		mail ${bigint} NOT NULL DEFAULT 0,
		state ${bigint} NOT NULL DEFAULT 0
	);
	INSERT INTO account_bytes (owner, mail, state)
		SELECT owner, SUM(mail), SUM(state) FROM (
			SELECT filed.owner AS owner, m.size AS mail, 0 AS state
				FROM (SELECT DISTINCT owner, message_id FROM mailbox_entries) AS filed
				JOIN messages AS m ON m.id = filed.message_id
			UNION ALL
			SELECT owner, 0, octet_length(entry) FROM state_log
		) AS parts GROUP BY owner;`;
}

/** A step's statements one by one: the drivers run one statement per query. No step has a
 * semicolon inside a statement. */
export const statements = (step: string): string[] =>
	step
		.split(/;\s*(?:\n|$)/)
		.map((statement) => statement.trim())
		.filter((statement) => statement.length > 0);

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
