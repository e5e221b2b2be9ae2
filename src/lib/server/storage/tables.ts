// The relay's tables as Kysely sees them. Reads are typed loosely where the two databases answer
// differently (SQLite answers flags as 0/1 and counts as numbers; PostgreSQL answers booleans, and
// bigint and sums as strings); each module turns them into the records of types.ts. Times
// are ISO 8601 strings in and out (PostgreSQL's are parsed to ISO by the dialect).
import type { ColumnType, Generated } from 'kysely';

/** A boolean in (SQLite binds it as 0/1), a boolean or 0/1 out. */
export type Flag = ColumnType<number | boolean, boolean, boolean>;
/** A number in, a number or a string (PostgreSQL bigint) out; updates may add to it. */
export type Count = ColumnType<number | string, number, number | string>;

export interface Tables {
	accounts: { address: string; fingerprint: string; created_at: string };
	directory_keys: {
		id: Generated<number | string>;
		address: string;
		fingerprint: string;
		armored: string;
		source: 'account' | 'imported';
		wkd_hash: string;
		created_at: string;
	};
	challenges: { nonce: string; address: string; expires_at: string; used: Flag };
	sessions: { token_hash: string; address: string; expires_at: string; revoked: Flag };
	messages: {
		id: string;
		sender: string;
		/** JSON array of every recipient, local and remote. */
		recipients: string;
		armored: string;
		size: number;
		created_at: string;
		idempotency_key: string | null;
		request_hash: string | null;
		imported: Flag;
	};
	account_bytes: { owner: string; mail: Count; state: Count };
	mailbox_counters: { owner: string; folder: string; last_seq: Count };
	mailbox_entries: {
		owner: string;
		folder: 'inbox' | 'sent';
		seq: Count;
		message_id: string;
		received_at: string;
	};
	blocks: { hash: string; size: Count; last_put_at: string };
	block_holders: { hash: string; account: string };
	message_blocks: { message_id: string; hash: string };
	block_data: { hash: string; data: Uint8Array };
	relay_keys: { id: number; private_key: string; public_key: string; created_at: string };
	outbound_queue: {
		message_id: string;
		domain: string;
		sender: string;
		recipients: string;
		stamps: string | null;
		state: 'queued' | 'delivered' | 'failed';
		attempts: ColumnType<number | string, number | undefined, number | string>;
		queued_at: string;
		next_attempt_at: string;
		lease_until: string | null;
		lease_token: string | null;
		problem: string | null;
		settled_at: string | null;
		acceptance: string | null;
		acceptance_signature: string | null;
	};
	spent_stamps: { hash: string; expires_at: string };
	allow_lists: { owner: string; hash: string };
	recovery_backups: { address: string; lookup_hash: string; backup: string; updated_at: string };
	transfers: {
		id: string;
		owner: string;
		backup: string | null;
		expires_at: string;
		claimed: Flag;
	};
	state_log: { owner: string; seq: Count; entry: string; created_at: string };
	event_tickets: { ticket_hash: string; address: string; expires_at: string };
	lists: { address: string; owner: string; created_at: string };
	list_members: { list: string; member: string; status: 'invited' | 'accepted' | 'declined' };
}
