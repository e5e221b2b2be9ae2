// Everything the browser keeps on this device, in one IndexedDB database (`letterlock`). The page
// and the service worker both open it: the service worker only to deliver the outbox.
// When IndexedDB cannot be opened at all (some private modes), the page falls back to tables
// in memory and says so; nothing then survives closing the tab.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { LookupResponse, StoredMessage } from '../protocol/api';
import type { StoredIdentity } from './keystore';
import type { GroupRecord } from './groups';
import type { ListPinRecord, ListPinStore } from './list-pins';
import type { DirectoryCache } from './mailer';
import type { OutboxItem } from './outbox';
import type { SearchEntryRecord, SearchKeyRecord } from './search-store';
import type { SummaryRecord } from './summary-store';
import type { ContactRecord, ContactStore } from './trust';

/** A relay session token kept so that queued mail can be delivered without the key. */
export interface RelaySessionRecord {
	address: string;
	token: string;
	expiresAt: string;
	/** Set when the key was locked with mail still queued: revoke once that mail is out. */
	releaseWhenDrained: boolean;
}

/** A compose form's fields, encrypted to the writer's own key before they touch the disk. */
export interface DraftRecord {
	/** One draft per identity: the compose form of that address. */
	address: string;
	sealed: string;
	updatedAt: string;
}

/** A message as the relay stored it (ciphertext); decrypted in memory when read. */
export interface CachedMessage {
	/** `owner folder id`, so that two identities on one device never share an entry. */
	key: string;
	owner: string;
	stored: StoredMessage;
}

/** An encrypted attachment block waiting to be uploaded (see outbox-blocks.ts). The Blob is
 * kept on disk by IndexedDB, so a queue of any size costs no page memory. */
export interface OutboxBlockRecord {
	hash: string;
	bytes: Blob;
	storedAt: string;
}

/** Folders and flags kept on this device (see mail-state-sync.svelte.ts), encrypted and
 * signed to the owner's own key like a draft. */
export interface MailStateRecord {
	address: string;
	sealed: string;
	/** The relay's state log cursor this copy has read up to. */
	cursor: string | null;
	updatedAt: string;
}

/** The directory's last answer for an address, used to encrypt while offline. */
export interface CachedLookup {
	address: string;
	answer: LookupResponse;
	fetchedAt: string;
}

interface Schema extends DBSchema {
	identities: { key: string; value: StoredIdentity };
	outbox: { key: string; value: OutboxItem };
	relaySessions: { key: string; value: RelaySessionRecord };
	drafts: { key: string; value: DraftRecord };
	mail: { key: string; value: CachedMessage };
	directory: { key: string; value: CachedLookup };
	contacts: { key: string; value: ContactRecord };
	outboxBlocks: { key: string; value: OutboxBlockRecord };
	mailState: { key: string; value: MailStateRecord };
	searchKeys: { key: string; value: SearchKeyRecord };
	searchEntries: { key: string; value: SearchEntryRecord };
	groups: { key: string; value: GroupRecord };
	listPins: { key: string; value: ListPinRecord };
	summaries: { key: string; value: SummaryRecord };
}

type StoreName =
	| 'identities'
	| 'outbox'
	| 'relaySessions'
	| 'drafts'
	| 'mail'
	| 'directory'
	| 'contacts'
	| 'outboxBlocks'
	| 'mailState'
	| 'searchKeys'
	| 'searchEntries'
	| 'groups'
	| 'listPins'
	| 'summaries';

/** The few operations the app needs, the same over IndexedDB and over memory. */
export interface Table<V> {
	get(key: string): Promise<V | undefined>;
	getAll(): Promise<V[]>;
	put(value: V): Promise<void>;
	delete(key: string): Promise<void>;
}

export interface LocalDb {
	/** 'memory' when IndexedDB failed: everything is lost when the tab closes. */
	readonly kind: 'indexeddb' | 'memory';
	identities: Table<StoredIdentity>;
	outbox: Table<OutboxItem>;
	relaySessions: Table<RelaySessionRecord>;
	drafts: Table<DraftRecord>;
	mail: Table<CachedMessage>;
	directory: Table<CachedLookup>;
	/** Pinned keys and their trust, one per address (see trust.ts). */
	contacts: Table<ContactRecord>;
	/** Encrypted attachment blocks of outbox items, removed once the relay has them. */
	outboxBlocks: Table<OutboxBlockRecord>;
	mailState: Table<MailStateRecord>;
	/** The sealed search index (see search-store.ts). */
	searchKeys: Table<SearchKeyRecord>;
	searchEntries: Table<SearchEntryRecord>;
	/** Groups of addresses to write to at once (see groups.ts). */
	groups: Table<GroupRecord>;
	/** The membership of each mailing list last written to (see list-pins.ts). */
	listPins: Table<ListPinRecord>;
	/** What the mail list shows, sealed in chunks (see summary-store.ts). */
	summaries: Table<SummaryRecord>;
}

const DB_NAME = 'letterlock';
const DB_VERSION = 8;
const KEY_PATHS: Record<StoreName, string> = {
	identities: 'address',
	outbox: 'id',
	relaySessions: 'address',
	drafts: 'address',
	mail: 'key',
	directory: 'address',
	contacts: 'address',
	outboxBlocks: 'hash',
	mailState: 'address',
	searchKeys: 'address',
	searchEntries: 'key',
	groups: 'key',
	listPins: 'address',
	summaries: 'key'
};

function openIndexedDb(): Promise<IDBPDatabase<Schema>> {
	return openDB<Schema>(DB_NAME, DB_VERSION, {
		upgrade(database, oldVersion) {
			// Each step upgrades from the version before it; existing identities are kept.
			if (oldVersion < 1) database.createObjectStore('identities', { keyPath: 'address' });
			if (oldVersion < 2) {
				for (const name of ['outbox', 'relaySessions', 'drafts', 'mail', 'directory'] as const) {
					database.createObjectStore(name, { keyPath: KEY_PATHS[name] });
				}
			}
			if (oldVersion < 3) database.createObjectStore('contacts', { keyPath: KEY_PATHS.contacts });
			if (oldVersion < 4) {
				database.createObjectStore('outboxBlocks', { keyPath: KEY_PATHS.outboxBlocks });
			}
			if (oldVersion < 5) {
				database.createObjectStore('mailState', { keyPath: KEY_PATHS.mailState });
			}
			if (oldVersion < 6) {
				for (const name of ['searchKeys', 'searchEntries', 'groups'] as const) {
					database.createObjectStore(name, { keyPath: KEY_PATHS[name] });
				}
			}
			if (oldVersion < 7) database.createObjectStore('listPins', { keyPath: KEY_PATHS.listPins });
			if (oldVersion < 8) {
				database.createObjectStore('summaries', { keyPath: KEY_PATHS.summaries });
			}
		}
	});
}

function indexedDbTable<V>(database: IDBPDatabase<Schema>, name: StoreName): Table<V> {
	// idb's per-store typing does not survive a store name chosen at run time.
	const untyped = database as unknown as IDBPDatabase;
	return {
		get: (key) => untyped.get(name, key) as Promise<V | undefined>,
		getAll: () => untyped.getAll(name) as Promise<V[]>,
		put: async (value) => {
			await untyped.put(name, value);
		},
		delete: (key) => untyped.delete(name, key)
	};
}

function memoryTable<V>(name: StoreName): Table<V> {
	const rows = new Map<string, V>();
	const keyOf = (value: V) => String((value as Record<string, unknown>)[KEY_PATHS[name]]);
	// Copies, so that callers see the same snapshot semantics as with IndexedDB.
	return {
		get: async (key) => structuredClone(rows.get(key)),
		getAll: async () => [...rows.values()].map((value) => structuredClone(value)),
		put: async (value) => void rows.set(keyOf(value), structuredClone(value)),
		delete: async (key) => void rows.delete(key)
	};
}

function tables(make: <V>(name: StoreName) => Table<V>, kind: LocalDb['kind']): LocalDb {
	return {
		kind,
		identities: make('identities'),
		outbox: make('outbox'),
		relaySessions: make('relaySessions'),
		drafts: make('drafts'),
		mail: make('mail'),
		directory: make('directory'),
		contacts: make('contacts'),
		outboxBlocks: make('outboxBlocks'),
		mailState: make('mailState'),
		searchKeys: make('searchKeys'),
		searchEntries: make('searchEntries'),
		groups: make('groups'),
		listPins: make('listPins'),
		summaries: make('summaries')
	};
}

let opening: Promise<LocalDb> | null = null;

/** The device's tables; over memory when IndexedDB is missing or refuses to open. */
export function localDb(): Promise<LocalDb> {
	// `indexedDB.open` itself may throw (or be missing), so it runs inside the promise chain.
	opening ??= Promise.resolve()
		.then(openIndexedDb)
		.then(
			(database) => tables((name) => indexedDbTable(database, name), 'indexeddb'),
			() => tables(memoryTable, 'memory')
		);
	return opening;
}

/** IndexedDB only, for the service worker: memory tables there would hold nothing useful. */
export async function persistentDb(): Promise<LocalDb> {
	const database = await openIndexedDb();
	return tables((name) => indexedDbTable(database, name), 'indexeddb');
}

/** Directory answers kept on the device, so mail can be encrypted to known people offline. */
export function directoryCache(db: LocalDb): DirectoryCache {
	return {
		get: async (address) => (await db.directory.get(address))?.answer,
		put: (address, answer) =>
			db.directory.put({ address, answer, fetchedAt: new Date().toISOString() })
	};
}

/** The device's contacts for the trust logic, which knows nothing of IndexedDB. */
export function contactStore(db: LocalDb): ContactStore {
	return {
		get: (address) => db.contacts.get(address),
		getAll: () => db.contacts.getAll(),
		put: (record) => db.contacts.put(record)
	};
}

/** The device's pinned list memberships for the mailer, which knows nothing of IndexedDB. */
export function listPinStore(db: LocalDb): ListPinStore {
	return {
		get: (address) => db.listPins.get(address),
		put: (record) => db.listPins.put(record),
		delete: (address) => db.listPins.delete(address)
	};
}
