// The two folders while the key is unlocked. What the list shows of each letter (its view:
// sender, subject, date, thread, attachment names, signature state) is kept on the device in
// the sealed summary store (summary-store.ts), so unlocking lists every letter known here with
// a few decryptions, whatever the mailbox's size. Listing asks the relay only for what is newer
// than the stored cursor, in pages; a new letter is fetched and decrypted once, in the
// background and newest first, to make its view and its search index entry. A body is
// decrypted again only when the letter is opened. The ciphertext of every letter is kept on
// the device (never a decrypted copy), so mail opens offline.
import { SvelteSet } from 'svelte/reactivity';
import { LIMITS, type Folder, type MessageSummary, type StoredMessage } from '../protocol/api';
import { viewOf, type LetterView, type Summary } from './letter-view';
import type { CachedMessage, Table } from './local-db';
import { pgpMimeMessage } from './mail-file';
import type { PreparedImport } from './mail-import';
import { newestFirst } from './order';
import { watchMailEvents } from './mail-events';
import type { Mailer, OpenedMail } from './mailer';
import { RelayError, type RelayClient } from './relay-client';
import { SearchIndex, documentOf, wordsOf } from './search-index';
import type { SearchStore } from './search-store';
import type { SummaryStore } from './summary-store';

export interface MailboxEntry {
	summary: MessageSummary;
	/** What the list shows; null until the letter was decrypted once (or when that failed). */
	view: LetterView | null;
	/** The whole letter, only once it is opened to be read (or when decryption failed, then
	 * `error` says why). */
	mail: OpenedMail | null;
	error: string | null;
}

/** Signals per field, not a deep proxy: 100,000 entries stay cheap, and a view changes whole. */
class Entry implements MailboxEntry {
	view = $state.raw<LetterView | null>(null);
	mail = $state.raw<OpenedMail | null>(null);
	error = $state<string | null>(null);
	constructor(
		readonly summary: MessageSummary,
		view: LetterView | null
	) {
		this.view = view;
	}
}

/** Letters still to be fetched and decrypted in the background, for the progress line. */
export interface Fetching {
	done: number;
	total: number;
}

/** Runs a relay call, signing in again once if the session expired. */
export type RelayGuard = <T>(call: () => Promise<T>) => Promise<T>;

/** Summaries per listing request: the relay's largest page, so 10,000 letters list in ten. */
const PAGE = LIMITS.listPageMax;

export class Mailbox {
	/** Newest first; replaced, not changed in place, so a long list is not proxied. */
	entries = $state.raw<Record<Folder, MailboxEntry[]>>({ inbox: [], sent: [] });
	/** The last refresh error per folder, as a sentence, or null when the last refresh worked. */
	problem = $state<Record<Folder, string | null>>({ inbox: null, sent: null });
	/** True while the relay's new-mail notices arrive, so polling can slow down. */
	live = $state(false);
	/** Letters listed but not yet decrypted once; null when there are none. */
	fetching = $state<Fetching | null>(null);
	/** Called for each message that arrives in the inbox while this mailbox is open (not for
	 * mail already there when it opened), once it is decrypted or failed to be. */
	onArrival: ((entry: MailboxEntry) => void) | null = null;
	#cursor: Partial<Record<Folder, string>> = {};
	#listed: Record<Folder, boolean> = { inbox: false, sent: false };
	#refreshing: Record<Folder, Promise<void> | null> = { inbox: null, sent: null };
	#stale: Record<Folder, boolean> = { inbox: false, sent: false };
	/** What the device holds, read once before the first listing asks the relay. */
	#loaded: Promise<void> = Promise.resolve();
	#background: Promise<void> = Promise.resolve();
	// A lookup kept beside `entries`, which is what pages react to: reactive, it would cost
	// 100,000 signals for nothing.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #byKey = new Map<string, Entry>();
	/** Keys (see #key) of entries whose failure says nothing about the message itself. */
	readonly #passingFailures = new SvelteSet<string>();
	readonly #index = new SearchIndex();
	/** Counts changes to the index, so that searches shown on a page run again. */
	#indexChanges = $state(0);
	/** Set on lock: a listing or decryption under way asks the relay nothing more. */
	#closed = false;
	#fetched = 0;
	#toFetch = 0;

	constructor(
		private readonly relay: RelayClient,
		private readonly mailer: Mailer,
		private readonly address: string,
		private readonly guard: RelayGuard,
		private readonly cache?: Table<CachedMessage>,
		private readonly searchStore?: SearchStore,
		private readonly summaries?: SummaryStore
	) {}

	/** Lists the mail kept on this device before (or without) asking the relay: from the
	 * summary store, or, before there is one, from the ciphertext kept here. Letters without a
	 * view yet are decrypted in the background; the stored search index loads after the list. */
	loadCached(): Promise<void> {
		this.#loaded = this.#loadCached();
		return this.#loaded;
	}

	async #loadCached(): Promise<void> {
		const stored = await this.summaries?.load().catch(() => null);
		let letters: Summary[] = stored?.letters ?? [];
		if (stored && letters.length > 0) this.#cursor = { ...stored.cursors };
		else if (this.cache) {
			// Mail kept before the summary store existed: summarised once, here.
			const rows = (await this.cache.getAll()).filter((row) => row.owner === this.address);
			letters = rows.map((row) => ({ summary: summaryOf(row.stored), view: null }));
			this.summaries?.put(letters);
		}
		const added = [...this.#add('inbox', letters), ...this.#add('sent', letters)];
		this.#background = this.#loadIndex().then(() => this.#makeViews(added));
	}

	/** Resolves once the letters listed from the device have their views (see loadCached). */
	settled(): Promise<void> {
		return this.#background;
	}

	async #loadIndex(): Promise<void> {
		const documents = (await this.searchStore?.load().catch(() => [])) ?? [];
		for (const document of documents) this.#index.add(document);
		this.#indexChanges++;
	}

	/** Of `entries`, those whose sender, recipients, subject, body or attachment names have a
	 * word starting with each word of `query`; all of them when the query has no words. */
	search(entries: MailboxEntry[], query: string): MailboxEntry[] {
		if (wordsOf(query).length === 0) return entries;
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
			await this.#loaded;
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
		return this.#byKey.get(`inbox ${id}`) ?? this.#byKey.get(`sent ${id}`);
	}

	/** Decrypts a letter to be read, unless it already is; a failure becomes its `error`. */
	async open(entry: MailboxEntry): Promise<void> {
		if (entry.mail) return;
		await this.#open(entry, true);
	}

	/** Decrypts a message again, e.g. once the person chose to look up a key it needs. */
	async reopen(entry: MailboxEntry): Promise<void> {
		const mail = await this.mailer.openStored(await this.stored(entry.summary));
		this.#opened(entry, mail, true);
	}

	/** Asks the relay afresh how delivery of a sent message to other relays stands: it changes
	 * after the message was first listed (queued, then delivered or failed). */
	async refreshDeliveries(entry: MailboxEntry): Promise<void> {
		if (!entry.mail) return;
		const stored = await this.#fetch(entry.summary);
		entry.mail = { ...entry.mail, deliveries: stored.deliveries ?? [] };
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

	/** Drops a copy deleted for good, here and from this device's cache and summaries. */
	forget(folder: Folder, id: string): void {
		if (!this.#byKey.delete(`${folder} ${id}`)) return;
		this.#setEntries(
			folder,
			this.entries[folder].filter((entry) => entry.summary.id !== id)
		);
		this.summaries?.remove(folder, id);
		void this.cache?.delete(this.#key({ folder, id })).catch(() => undefined);
	}

	/** Lists every page newer than the cursor, so the whole list is there before any letter is
	 * decrypted; then makes the new letters' views, newest first. */
	async #refresh(folder: Folder): Promise<void> {
		// The first listing after opening holds what was there before: nothing "arrives".
		const arriving = folder === 'inbox' && this.#listed[folder];
		const added: Entry[] = [];
		try {
			for (;;) {
				const page = await this.guard(() =>
					this.relay.list(this.address, folder, this.#cursor[folder], PAGE)
				);
				const fresh = this.#add(
					folder,
					page.messages.map((summary) => ({ summary, view: null }))
				);
				added.push(...fresh);
				this.summaries?.put(fresh.map((entry) => ({ summary: entry.summary, view: null })));
				this.#cursor[folder] = page.cursor;
				this.summaries?.setCursor(folder, page.cursor);
				if (page.messages.length < PAGE) break;
			}
			this.problem[folder] = null;
		} catch (error) {
			this.problem[folder] = error instanceof Error ? error.message : String(error);
			if (added.length === 0) return;
		}
		this.#listed[folder] = true;
		await this.#retryPassingFailures(folder);
		await this.#makeViews(added);
		if (!arriving || !this.onArrival) return;
		for (const entry of added) this.onArrival(entry);
	}

	/** Adds the letters of `folder` not listed yet; returns the entries it added. */
	#add(folder: Folder, letters: Summary[]): Entry[] {
		const added: Entry[] = [];
		for (const { summary, view } of letters) {
			const key = `${folder} ${summary.id}`;
			if (summary.folder !== folder || this.#byKey.has(key)) continue;
			const entry = new Entry(summary, view);
			this.#byKey.set(key, entry);
			added.push(entry);
		}
		if (added.length === 0) return [];
		this.#setEntries(folder, [...added, ...this.entries[folder]].sort(newestFirst));
		return added;
	}

	#setEntries(folder: Folder, list: MailboxEntry[]): void {
		this.entries = { ...this.entries, [folder]: list };
	}

	/** Decrypts, one at a time and newest first, the letters that have no view yet: the worker
	 * is single-threaded anyway, and the top of the list fills in first. */
	async #makeViews(entries: Entry[]): Promise<void> {
		const waiting = entries.filter((entry) => !entry.view && !entry.error).sort(newestFirst);
		this.#toFetch += waiting.length;
		this.#progress();
		for (const entry of waiting) {
			if (this.#byKey.get(indexKey(entry.summary)) === entry && !entry.view) {
				await this.#open(entry, false);
			}
			this.#fetched++;
			this.#progress();
		}
		await this.summaries?.flush().catch(() => undefined);
	}

	#progress(): void {
		if (this.#fetched >= this.#toFetch) {
			this.#fetched = this.#toFetch = 0;
			this.fetching = null;
		} else this.fetching = { done: this.#fetched, total: this.#toFetch };
	}

	/** `keep`: the letter is being read, so its body stays in memory (else only its view). */
	async #open(entry: MailboxEntry, keep: boolean): Promise<void> {
		if (this.#closed) return;
		try {
			const mail = await this.mailer.openStored(await this.stored(entry.summary));
			this.#opened(entry, mail, keep);
			this.#passingFailures.delete(this.#key(entry.summary));
		} catch (error) {
			entry.error = error instanceof Error ? error.message : String(error);
			if (isPassing(error)) this.#passingFailures.add(this.#key(entry.summary));
		}
	}

	#opened(entry: MailboxEntry, mail: OpenedMail, keep: boolean): void {
		this.#addToIndex(entry.summary, mail);
		entry.view = viewOf(mail);
		entry.error = null;
		if (keep) entry.mail = mail;
		this.summaries?.put([{ summary: entry.summary, view: entry.view }]);
	}

	/** A message that could not be fetched because the relay was away (or too busy) is not
	 * broken: once a listing reaches the relay again, it is opened again. */
	async #retryPassingFailures(folder: Folder): Promise<void> {
		if (this.#passingFailures.size === 0) return;
		const waiting = this.entries[folder].filter((entry) =>
			this.#passingFailures.has(this.#key(entry.summary))
		);
		for (const entry of waiting) await this.#open(entry, false);
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
function indexKey(summary: Pick<MessageSummary, 'folder' | 'id'>): string {
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
