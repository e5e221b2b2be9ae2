// The decrypted view of the two folders, kept in memory only while the key is unlocked.
// Polling asks the relay only for messages after the last cursor, then opens each new one.
// The ciphertext of every message is also kept on the device, so mail opens (and can be
// searched) offline; it is decrypted again on each unlock and never stored decrypted. Each
// decrypted message goes into the search index, which is kept sealed (search-store.ts).
import { SvelteSet } from 'svelte/reactivity';
import type { Folder, MessageSummary, StoredMessage } from '../protocol/api';
import type { CachedMessage, Table } from './local-db';
import { pgpMimeMessage } from './mail-file';
import type { PreparedImport } from './mail-import';
import { watchMailEvents } from './mail-events';
import type { Mailer, OpenedMail } from './mailer';
import { RelayError, type RelayClient } from './relay-client';
import { SearchIndex, documentOf } from './search-index';
import type { SearchStore } from './search-store';

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
	/** True while the relay's new-mail notices arrive, so polling can slow down. */
	live = $state(false);
	/** Called for each message that arrives in the inbox while this mailbox is open (not for
	 * mail already there when it opened), once it is decrypted or failed to be. */
	onArrival: ((entry: MailboxEntry) => void) | null = null;
	#cursor: Record<Folder, string | undefined> = { inbox: undefined, sent: undefined };
	#refreshing: Record<Folder, Promise<void> | null> = { inbox: null, sent: null };
	#stale: Record<Folder, boolean> = { inbox: false, sent: false };
	/** Keys (see #key) of entries whose failure says nothing about the message itself. */
	readonly #passingFailures = new SvelteSet<string>();
	readonly #index = new SearchIndex();
	/** Counts changes to the index, so that searches shown on a page run again. */
	#indexChanges = $state(0);
	/** Set on lock: a listing or decryption under way asks the relay nothing more. */
	#closed = false;

	constructor(
		private readonly relay: RelayClient,
		private readonly mailer: Mailer,
		private readonly address: string,
		private readonly guard: RelayGuard,
		private readonly cache?: Table<CachedMessage>,
		private readonly searchStore?: SearchStore
	) {}

	/** Shows the mail kept on this device, before (or without) asking the relay; the stored
	 * index first, so searching works before every message is decrypted again. */
	async loadCached(): Promise<void> {
		const documents = (await this.searchStore?.load().catch(() => [])) ?? [];
		for (const document of documents) this.#index.add(document);
		this.#indexChanges++;
		if (!this.cache) return;
		const rows = (await this.cache.getAll()).filter((row) => row.owner === this.address);
		for (const folder of ['inbox', 'sent'] as const) {
			const summaries = rows
				.map((row) => summaryOf(row.stored))
				.filter((summary) => summary.folder === folder);
			await this.#add(folder, summaries);
		}
	}

	/** Of `entries`, those whose sender, recipients, subject, body or attachment names have a
	 * word starting with each word of `query`; all of them when the query has no words. */
	search(entries: MailboxEntry[], query: string): MailboxEntry[] {
		void this.#indexChanges;
		const keys = this.#index.search(query);
		if (!keys) return entries;
		return entries.filter((entry) => keys.has(indexKey(entry.summary)));
	}

	/** Concurrent calls for one folder share a single request, so polling never doubles up; a
	 * call made while one runs makes it list once more, as what it asks about (say, mail the
	 * relay just announced) may have arrived after that listing began. */
	refresh(folder: Folder): Promise<void> {
		if (this.#closed) return Promise.resolve();
		if (this.#refreshing[folder]) {
			this.#stale[folder] = true;
			return this.#refreshing[folder];
		}
		this.#refreshing[folder] = (async () => {
			do {
				this.#stale[folder] = false;
				await this.#refresh(folder);
			} while (this.#stale[folder]);
		})().finally(() => {
			this.#refreshing[folder] = null;
		});
		return this.#refreshing[folder];
	}

	/** Refreshes both folders whenever the relay announces something new; returns a stop. */
	watch(): () => void {
		return watchMailEvents({
			relay: this.relay,
			address: this.address,
			guard: this.guard,
			onMail: () => {
				void this.refresh('inbox');
				void this.refresh('sent');
			},
			onLive: (live) => {
				this.live = live;
			}
		});
	}

	/** Called on lock (see session-lifecycle.ts): nothing this mailbox does reaches the relay. */
	close(): void {
		this.#closed = true;
	}

	find(id: string): MailboxEntry | undefined {
		return (
			this.entries.inbox.find((entry) => entry.summary.id === id) ??
			this.entries.sent.find((entry) => entry.summary.id === id)
		);
	}

	/** Decrypts a message again, e.g. once the person chose to look up a key it needs. */
	async reopen(entry: MailboxEntry): Promise<void> {
		const mail = await this.mailer.openStored(await this.stored(entry.summary));
		entry.mail = mail;
	}

	/** Asks the relay afresh how delivery of a sent message to other relays stands: it changes
	 * after the message was first listed (queued, then delivered or failed). */
	async refreshDeliveries(entry: MailboxEntry): Promise<void> {
		if (!entry.mail) return;
		const stored = await this.#fetch(entry.summary);
		entry.mail.deliveries = stored.deliveries ?? [];
	}

	/** Message `id` as a PGP/MIME .eml file (docs/PROTOCOL.md "Export"). */
	async exportEml(id: string): Promise<string> {
		const entry = this.find(id);
		if (!entry) throw new Error('This message is not in your mailbox on this device.');
		return pgpMimeMessage(await this.stored(entry.summary));
	}

	/** Files one letter of an import in the inbox, under `letterKey`, which the relay files once
	 * (client/mail-import-session.ts). */
	importLetter(letter: PreparedImport, letterKey: string) {
		return this.guard(() =>
			this.relay.importMessage(this.address, letter.from, letter.message, letterKey)
		);
	}

	/** Deletes the message from the relay for good (every copy in this mailbox) and from here. */
	async deleteForGood(id: string): Promise<void> {
		try {
			await this.guard(() => this.relay.deleteMessage(this.address, id));
		} catch (error) {
			// Already gone (deleted from another device): the wanted outcome.
			if (!(error instanceof RelayError && error.status === 404)) throw error;
		}
		this.forget('inbox', id);
		this.forget('sent', id);
	}

	/** Drops a copy deleted for good, here and from this device's cache. */
	forget(folder: Folder, id: string): void {
		this.entries[folder] = this.entries[folder].filter((entry) => entry.summary.id !== id);
		void this.cache?.delete(this.#key({ folder, id })).catch(() => undefined);
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
		// The first listing after opening holds what was there before: nothing "arrives".
		const arriving = folder === 'inbox' && this.#cursor[folder] !== undefined;
		this.#cursor[folder] = page.cursor;
		await this.#retryPassingFailures(folder);
		const added = await this.#add(folder, page.messages);
		if (!arriving || !this.onArrival) return;
		for (const entry of this.entries.inbox.filter((entry) => added.includes(entry.summary.id))) {
			this.onArrival(entry);
		}
	}

	/** Returns the ids of the entries it added. */
	async #add(folder: Folder, summaries: MessageSummary[]): Promise<string[]> {
		const known = this.entries[folder].map((entry) => entry.summary.id);
		const unique = summaries.filter(
			(summary, index) => summaries.findIndex((other) => other.id === summary.id) === index
		);
		const fresh = unique.filter((summary) => !known.includes(summary.id));
		if (fresh.length === 0) return [];
		const added = fresh.map((summary) => ({ summary, mail: null, error: null }));
		this.entries[folder] = [...added, ...this.entries[folder]].sort((a, b) =>
			b.summary.receivedAt.localeCompare(a.summary.receivedAt)
		);
		// One at a time: the worker is single-threaded anyway, and the newest shows first.
		for (const summary of fresh.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))) {
			await this.#open(folder, summary);
		}
		return fresh.map((summary) => summary.id);
	}

	async #open(folder: Folder, summary: MessageSummary): Promise<void> {
		const entry = this.entries[folder].find((candidate) => candidate.summary.id === summary.id);
		if (!entry || this.#closed) return;
		try {
			const mail = await this.mailer.openStored(await this.stored(summary));
			this.#addToIndex(summary, mail);
			entry.mail = mail;
			entry.error = null;
			this.#passingFailures.delete(this.#key(summary));
		} catch (error) {
			entry.error = error instanceof Error ? error.message : String(error);
			if (isPassing(error)) this.#passingFailures.add(this.#key(summary));
		}
	}

	/** A message that could not be fetched because the relay was away (or too busy) is not
	 * broken: once a listing reaches the relay again, it is opened again. */
	async #retryPassingFailures(folder: Folder): Promise<void> {
		const waiting = this.entries[folder].filter((entry) =>
			this.#passingFailures.has(this.#key(entry.summary))
		);
		for (const entry of waiting) await this.#open(folder, entry.summary);
	}

	#addToIndex(summary: MessageSummary, mail: OpenedMail): void {
		const key = indexKey(summary);
		if (this.#index.has(key)) return;
		const document = documentOf(key, mail);
		this.#index.add(document);
		this.#indexChanges++;
		// Best effort: a record not saved is rebuilt the next time the message is decrypted.
		void this.searchStore?.save(document).catch(() => undefined);
	}

	// One message can sit in both folders (mail to oneself), so the folder is part of the key.
	#key(summary: Pick<MessageSummary, 'folder' | 'id'>): string {
		return `${this.address} ${summary.folder} ${summary.id}`;
	}

	/** The ciphertext as the relay stored it: from this device's cache, else from the relay. */
	async stored(summary: MessageSummary): Promise<StoredMessage> {
		const cached = await this.cache?.get(this.#key(summary)).catch(() => undefined);
		return cached?.stored ?? this.#fetch(summary);
	}

	/** The relay's copy, kept on the device. */
	async #fetch(summary: MessageSummary): Promise<StoredMessage> {
		// The relay answers one copy for both folders, so record the folder it was listed in: the
		// cached copy of a mail to oneself must come back once in Inbox and once in Sent.
		const stored = {
			...(await this.guard(() => this.mailer.fetchStored(summary))),
			folder: summary.folder
		};
		await this.cache
			?.put({ key: this.#key(summary), owner: this.address, stored })
			.catch(() => undefined);
		return stored;
	}
}

/** Whether an error is the relay's absence or load, not a fault of the message. */
function isPassing(error: unknown): boolean {
	return (
		error instanceof RelayError &&
		(error.kind === 'offline' || error.status === 429 || error.status >= 500)
	);
}

/** One message can sit in both folders (mail to oneself), so the folder is part of the key. */
function indexKey(summary: MessageSummary): string {
	return `${summary.folder} ${summary.id}`;
}

function summaryOf(stored: StoredMessage): MessageSummary {
	return {
		id: stored.id,
		folder: stored.folder,
		from: stored.from,
		receivedAt: stored.receivedAt,
		size: stored.size,
		...(stored.imported ? { imported: stored.imported } : {})
	};
}
