// The letters this browser has imported, so that an import run again (after the tab closed, or
// was stopped) files each letter once: the CLI's ledger (cli/import-ledger.ts), kept in an
// IndexedDB database of its own. Each entry is an HMAC-SHA256 of the address and the letter's
// Message-ID (or its whole text when it has none), under a secret made here that cannot be read
// out (a non-extractable WebCrypto key), so neither the ledger nor the Idempotency-Key sent with
// each letter (the same digest) lets anyone without it test whether a letter is in the mailbox.
// Where IndexedDB cannot be opened the ledger lives in memory: idempotent within the tab only.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { letterIdentity } from './mail-file';
import type { LetterLedger } from './mail-import-run';

interface ImportDb extends DBSchema {
	secret: { key: 'hmac'; value: CryptoKey };
	/** One row per letter imported, keyed by its digest. */
	letters: { key: string; value: { importedAt: string } };
}

const DB_NAME = 'letterlock-imports';

export class BrowserImportLedger implements LetterLedger {
	private constructor(
		private readonly secret: CryptoKey,
		private readonly done: Set<string>,
		private readonly db: IDBPDatabase<ImportDb> | undefined,
		private readonly address: string
	) {}

	static async open(address: string): Promise<BrowserImportLedger> {
		const db = await openDB<ImportDb>(DB_NAME, 1, {
			upgrade(db) {
				db.createObjectStore('secret');
				db.createObjectStore('letters');
			}
		}).catch(() => undefined);
		if (!db) return new BrowserImportLedger(await newSecret(), new Set(), undefined, address);
		let secret = await db.get('secret', 'hmac');
		if (!secret) {
			// Two tabs importing at once: the first secret written wins, both use it.
			const made = await newSecret();
			const tx = db.transaction('secret', 'readwrite');
			secret = (await tx.store.get('hmac')) ?? made;
			if (secret === made) await tx.store.put(made, 'hmac');
			await tx.done;
		}
		const done = new Set(await db.getAllKeys('letters'));
		return new BrowserImportLedger(secret, done, db, address);
	}

	async keyOf(raw: string): Promise<string> {
		const text = new TextEncoder().encode(`${this.address}\n${letterIdentity(raw)}`);
		const digest = new Uint8Array(await crypto.subtle.sign('HMAC', this.secret, text));
		return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
	}

	has(key: string): boolean {
		return this.done.has(key);
	}

	/** Records that the relay has filed the letter; committed before the next letter starts. */
	async record(key: string): Promise<void> {
		if (this.done.has(key)) return;
		await this.db?.put('letters', { importedAt: new Date().toISOString() }, key);
		this.done.add(key);
	}

	close(): void {
		this.db?.close();
	}
}

function newSecret(): Promise<CryptoKey> {
	return crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
}
