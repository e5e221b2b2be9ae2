// Group commit for mail: messages stored at about the same time are written together in one
// transaction (Storage.storeMessages), so that they share one commit — one fsync on SQLite, whose
// commits also hold up the whole process while they wait for the disk, and one WAL flush and a
// few pipelined round trips on PostgreSQL — instead of paying one each. Each caller is answered
// only once the transaction holding its message has committed, so an acknowledged send is
// exactly as durable as before; no message waits for a timer, only for the commit before it.
// The new-mail notices of letters stored together go out together too: one NOTIFY statement on
// PostgreSQL for a batch instead of one round trip per letter.
import type { NewMessage, Storage, StoreMessageResult } from './storage/types';

interface Waiting {
	message: NewMessage;
	resolve(result: StoreMessageResult): void;
	reject(error: unknown): void;
}

/** Beyond this many, a batch's transaction holds the database long enough that waiting
 * senders would notice; the rest go into the next one. */
const MAX_BATCH = 128;

export class SendBatcher {
	readonly #storage: Pick<Storage, 'storeMessages' | 'announceMailboxes'>;
	#waiting: Waiting[] = [];
	#draining = false;
	#announcing: { owners: Set<string>; sent: Promise<void> } | undefined;

	constructor(storage: Pick<Storage, 'storeMessages' | 'announceMailboxes'>) {
		this.#storage = storage;
	}

	/** Stores the message as `Storage.storeMessage` does, together with any others waiting. */
	store(message: NewMessage): Promise<StoreMessageResult> {
		return new Promise((resolve, reject) => {
			this.#waiting.push({ message, resolve, reject });
			if (this.#draining) return;
			this.#draining = true;
			// After the requests read in this turn of the event loop have reached this point too.
			setImmediate(() => void this.#drain());
		});
	}

	/** Announces new mail in `owners`' mailboxes (Storage.announceMailboxes), together with the
	 * other announcements asked for in this turn of the event loop. */
	announce(owners: string[]): Promise<void> {
		if (this.#announcing) {
			for (const owner of owners) this.#announcing.owners.add(owner);
			return this.#announcing.sent;
		}
		const announcing = { owners: new Set(owners), sent: Promise.resolve() };
		announcing.sent = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
			this.#announcing = undefined;
			return this.#storage.announceMailboxes([...announcing.owners]);
		});
		this.#announcing = announcing;
		return announcing.sent;
	}

	async #drain(): Promise<void> {
		while (this.#waiting.length > 0) {
			const batch = this.#waiting.splice(0, MAX_BATCH);
			try {
				const results = await this.#storage.storeMessages(batch.map((one) => one.message));
				results.forEach((result, index) => {
					if (result.status === 'fulfilled') batch[index]!.resolve(result.value);
					else batch[index]!.reject(result.reason);
				});
			} catch (error) {
				for (const one of batch) one.reject(error);
			}
		}
		this.#draining = false;
	}
}
