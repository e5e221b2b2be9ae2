// The decrypted view of the two folders, kept in memory only while the key is unlocked.
// Polling asks the relay only for messages after the last cursor, then opens each new one.
import type { Folder, MessageSummary } from '../protocol/api';
import type { Mailer, OpenedMail } from './mailer';
import type { RelayClient } from './relay-client';

export interface MailboxEntry {
	summary: MessageSummary;
	/** Null until decrypted, or when decryption failed (then `error` says why). */
	mail: OpenedMail | null;
	error: string | null;
}

/** Runs a relay call, signing in again once if the session expired. */
export type RelayGuard = <T>(call: () => Promise<T>) => Promise<T>;

export class Mailbox {
	/** Newest first. */
	entries = $state<Record<Folder, MailboxEntry[]>>({ inbox: [], sent: [] });
	/** The last refresh error per folder, as a sentence, or null when the last refresh worked. */
	problem = $state<Record<Folder, string | null>>({ inbox: null, sent: null });
	#cursor: Record<Folder, string | undefined> = { inbox: undefined, sent: undefined };
	#refreshing: Record<Folder, Promise<void> | null> = { inbox: null, sent: null };

	constructor(
		private readonly relay: RelayClient,
		private readonly mailer: Mailer,
		private readonly address: string,
		private readonly guard: RelayGuard
	) {}

	/** Concurrent calls for one folder share a single request, so polling never doubles up. */
	refresh(folder: Folder): Promise<void> {
		this.#refreshing[folder] ??= this.#refresh(folder).finally(() => {
			this.#refreshing[folder] = null;
		});
		return this.#refreshing[folder];
	}

	find(id: string): MailboxEntry | undefined {
		return (
			this.entries.inbox.find((entry) => entry.summary.id === id) ??
			this.entries.sent.find((entry) => entry.summary.id === id)
		);
	}

	async #refresh(folder: Folder): Promise<void> {
		let page;
		try {
			page = await this.guard(() => this.relay.list(this.address, folder, this.#cursor[folder]));
			this.problem[folder] = null;
		} catch (error) {
			this.problem[folder] = error instanceof Error ? error.message : String(error);
			return;
		}
		this.#cursor[folder] = page.cursor;
		const known = this.entries[folder].map((entry) => entry.summary.id);
		const fresh = page.messages.filter((summary) => !known.includes(summary.id));
		if (fresh.length === 0) return;
		const added = fresh.map((summary) => ({ summary, mail: null, error: null }));
		this.entries[folder] = [...added, ...this.entries[folder]].sort((a, b) =>
			b.summary.receivedAt.localeCompare(a.summary.receivedAt)
		);
		// One at a time: the worker is single-threaded anyway, and the newest shows first.
		for (const summary of fresh.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))) {
			await this.#open(folder, summary);
		}
	}

	async #open(folder: Folder, summary: MessageSummary): Promise<void> {
		const entry = this.entries[folder].find((candidate) => candidate.summary.id === summary.id);
		if (!entry) return;
		try {
			entry.mail = await this.guard(() => this.mailer.open(summary));
		} catch (error) {
			entry.error = error instanceof Error ? error.message : String(error);
		}
	}
}
