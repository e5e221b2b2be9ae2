// The search index at rest: each message's words are sealed with AES-256-GCM under a key that
// only the unlocked identity can recover (sealing-key.ts), so the stored index is useless
// without unlocking. Format: docs/PROTOCOL.md, "Search index".
import * as v from 'valibot';
import type { CryptoApi } from '../crypto/types';
import type { Table } from './local-db';
import type { SearchDocument } from './search-index';
import {
	openSealingSecret,
	sealingKey,
	type SealingIdentity,
	type SearchKeyRecord
} from './sealing-key';

export type { SearchKeyRecord } from './sealing-key';

/** One message's words, sealed. */
export interface SearchEntryRecord {
	/** `owner folder id`; also the AES-GCM additional data, so a record cannot be moved. */
	key: string;
	owner: string;
	iv: Uint8Array<ArrayBuffer>;
	sealed: Uint8Array<ArrayBuffer>;
}

export interface SearchTables {
	searchKeys: Table<SearchKeyRecord>;
	searchEntries: Table<SearchEntryRecord>;
}

const HKDF_INFO = 'letterlock search index v1';
const Words = v.array(v.string());

export class SearchStore {
	private constructor(
		private readonly entries: Table<SearchEntryRecord>,
		private readonly owner: string,
		private readonly key: CryptoKey
	) {}

	/** Opens the index key of `identity` (making one the first time); needs the unlocked key. */
	static async open(
		tables: SearchTables,
		crypto: CryptoApi,
		identity: SealingIdentity
	): Promise<SearchStore> {
		const secret = await openSealingSecret(tables.searchKeys, crypto, identity);
		return SearchStore.withSecret(tables.searchEntries, identity.address, secret);
	}

	/** The index of `owner`, from the secret already opened (see sealing-key.ts). */
	static async withSecret(
		entries: Table<SearchEntryRecord>,
		owner: string,
		secret: Uint8Array<ArrayBuffer>
	): Promise<SearchStore> {
		return new SearchStore(entries, owner, await sealingKey(secret, HKDF_INFO));
	}

	/** Every document stored for this identity; records that do not open are skipped (and get
	 * indexed again when their message is next decrypted). */
	async load(): Promise<SearchDocument[]> {
		const records = (await this.entries.getAll()).filter((record) => record.owner === this.owner);
		const opened = await Promise.all(records.map((record) => this.#open(record)));
		return opened.filter((document) => document !== null);
	}

	async save(document: SearchDocument): Promise<void> {
		const recordKey = `${this.owner} ${document.key}`;
		const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
		const plain = new TextEncoder().encode(JSON.stringify(document.words));
		const sealed = await globalThis.crypto.subtle.encrypt(
			{ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(recordKey) },
			this.key,
			plain
		);
		await this.entries.put({
			key: recordKey,
			owner: this.owner,
			iv,
			sealed: new Uint8Array(sealed)
		});
	}

	async #open(record: SearchEntryRecord): Promise<SearchDocument | null> {
		try {
			const plain = await globalThis.crypto.subtle.decrypt(
				{ name: 'AES-GCM', iv: record.iv, additionalData: new TextEncoder().encode(record.key) },
				this.key,
				record.sealed
			);
			const words = v.parse(Words, JSON.parse(new TextDecoder().decode(plain)));
			return { key: record.key.slice(this.owner.length + 1), words };
		} catch {
			return null;
		}
	}
}
