// The search index at rest: each message's words are sealed with AES-256-GCM under a key that
// only the unlocked identity can recover, so the stored index is useless without unlocking.
// The key is 32 random bytes, signed and encrypted to the identity's own OpenPGP key (as drafts
// are) and opened in the crypto worker on unlock; HKDF turns it into the AES key, which lives
// only in memory, non-extractable. Format: docs/PROTOCOL.md, "Search index".
import * as v from 'valibot';
import type { CryptoApi } from '../crypto/types';
import type { Table } from './local-db';
import type { SearchDocument } from './search-index';

/** The sealed secret of one identity's index. */
export interface SearchKeyRecord {
	address: string;
	/** Armored OpenPGP message (signed and encrypted to the identity's key) of 64 hex digits. */
	sealed: string;
}

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

const HKDF_INFO = new TextEncoder().encode('letterlock search index v1');
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
		identity: { address: string; publicKey: string }
	): Promise<SearchStore> {
		const secret = await openSecret(tables, crypto, identity);
		const material = await globalThis.crypto.subtle.importKey('raw', secret, 'HKDF', false, [
			'deriveKey'
		]);
		const key = await globalThis.crypto.subtle.deriveKey(
			{ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: HKDF_INFO },
			material,
			{ name: 'AES-GCM', length: 256 },
			false,
			['encrypt', 'decrypt']
		);
		return new SearchStore(tables.searchEntries, identity.address, key);
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

async function openSecret(
	tables: SearchTables,
	crypto: CryptoApi,
	identity: { address: string; publicKey: string }
): Promise<Uint8Array<ArrayBuffer>> {
	const record = await tables.searchKeys.get(identity.address);
	if (record) {
		const opened = await crypto
			.decryptAndVerify({ message: record.sealed, senderKeys: [identity.publicKey] })
			.catch(() => null);
		// Only a secret we signed ourselves: anyone can encrypt to our public key.
		if (opened?.signature.state === 'valid' && /^[0-9a-f]{64}$/.test(opened.text)) {
			return fromHex(opened.text);
		}
	}
	// None yet, or not ours: start a new index (old records then no longer open and are replaced).
	const secret = globalThis.crypto.getRandomValues(new Uint8Array(32));
	const text = [...secret].map((byte) => byte.toString(16).padStart(2, '0')).join('');
	const sealed = await crypto.encryptAndSign({ text, recipientKeys: [] });
	await tables.searchKeys.put({ address: identity.address, sealed });
	return secret;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(hex.length / 2);
	for (let at = 0; at < bytes.length; at++) bytes[at] = parseInt(hex.slice(at * 2, at * 2 + 2), 16);
	return bytes;
}
