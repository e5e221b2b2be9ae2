// The mail list at rest: what the list shows of every letter (letter-view.ts), sealed with
// AES-256-GCM under a key only the unlocked identity recovers (sealing-key.ts). Letters are
// kept in chunks of up to CHUNK, so unlocking opens the whole list with a few large decryptions
// instead of one OpenPGP decryption per letter; a change rewrites only its chunk, a moment
// later, so a burst of arrivals costs one write. The listing cursors are sealed with it, so the
// relay is asked only for what is newer. Format: docs/PROTOCOL.md, "Summary store".
import * as v from 'valibot';
import type { CryptoApi } from '../crypto/types';
import type { Folder } from '../protocol/api';
import type { Summary } from './letter-view';
import { decodeChunk, encodeChunk } from './summary-format';
import type { Table } from './local-db';
import {
	openSealingSecret,
	sealingKey,
	type SealingIdentity,
	type SearchKeyRecord
} from './sealing-key';

/** One sealed chunk of letters, or the sealed cursors. */
export interface SummaryRecord {
	/** `owner chunk N` or `owner cursors`; also the AES-GCM additional data, so a record
	 * cannot be moved to another place or another identity. */
	key: string;
	owner: string;
	iv: Uint8Array<ArrayBuffer>;
	sealed: Uint8Array<ArrayBuffer>;
}

export interface SummaryTables {
	searchKeys: Table<SearchKeyRecord>;
	summaries: Table<SummaryRecord>;
}

export type Cursors = Partial<Record<Folder, string>>;

export interface LoadedSummaries {
	letters: Summary[];
	/** Where listing the relay goes on; empty when a chunk was refused, so that its letters
	 * are listed (and their views made) again. */
	cursors: Cursors;
	/** How many sealed records did not open (tampered, or sealed under another secret). */
	refused: number;
}

/** Letters per chunk: large enough that 100,000 letters open in 50 decryptions, small enough
 * that rewriting one after an arrival is cheap (about half a megabyte). */
export const CHUNK = 2000;
const FLUSH_MS = 250;
const HKDF_INFO = 'letterlock summaries v1';
const CursorsSchema = v.object({
	version: v.literal(1),
	cursors: v.object({ inbox: v.optional(v.string()), sent: v.optional(v.string()) })
});

export class SummaryStore {
	readonly #chunks: Map<string, Summary>[] = [];
	/** Letter key (`folder id`) → its chunk. */
	readonly #chunkOf = new Map<string, number>();
	#cursors: Cursors = {};
	readonly #dirty = new Set<number | 'cursors'>();
	#timer: ReturnType<typeof setTimeout> | null = null;
	#writing: Promise<void> = Promise.resolve();

	private constructor(
		private readonly table: Table<SummaryRecord>,
		private readonly owner: string,
		private readonly key: CryptoKey
	) {}

	/** Opens the store of `identity`; needs the unlocked key. */
	static async open(
		tables: SummaryTables,
		crypto: CryptoApi,
		identity: SealingIdentity
	): Promise<SummaryStore> {
		const secret = await openSealingSecret(tables.searchKeys, crypto, identity);
		return SummaryStore.withSecret(tables.summaries, identity.address, secret);
	}

	/** The store of `owner`, from the secret already opened (see sealing-key.ts). */
	static async withSecret(
		table: Table<SummaryRecord>,
		owner: string,
		secret: Uint8Array<ArrayBuffer>
	): Promise<SummaryStore> {
		return new SummaryStore(table, owner, await sealingKey(secret, HKDF_INFO));
	}

	/** Every letter stored for this identity. A record that does not open is refused: its
	 * letters are left out (never shown from it) and the record is deleted. */
	async load(): Promise<LoadedSummaries> {
		const prefix = `${this.owner} `;
		const records = (await this.table.getAll()).filter((record) => record.owner === this.owner);
		let refused = 0;
		let cursors: Cursors = {};
		const opened = await Promise.all(
			records.map(async (record) => ({ record, plain: await this.#open(record) }))
		);
		for (const { record, plain } of opened) {
			const name = record.key.startsWith(prefix) ? record.key.slice(prefix.length) : '';
			const chunk = /^chunk (0|[1-9][0-9]{0,5})$/.exec(name);
			const opened = chunk ? lettersOf(plain) : name === 'cursors' ? cursorsOf(plain) : null;
			if (!opened) {
				refused++;
				await this.table.delete(record.key).catch(() => undefined);
				continue;
			}
			if (!Array.isArray(opened)) {
				cursors = opened;
				continue;
			}
			const at = Number(chunk![1]);
			const letters = new Map<string, Summary>();
			for (const letter of opened) {
				const key = letterKey(letter.summary);
				if (this.#chunkOf.has(key)) continue;
				letters.set(key, letter);
				this.#chunkOf.set(key, at);
			}
			this.#chunks[at] = letters;
		}
		for (let at = 0; at < this.#chunks.length; at++) this.#chunks[at] ??= new Map();
		this.#cursors = refused > 0 ? {} : cursors;
		return {
			letters: this.#chunks.flatMap((chunk) => [...chunk.values()]),
			cursors: this.#cursors,
			refused
		};
	}

	/** Adds or replaces letters; written a moment later (or on `flush`). */
	put(letters: Summary[]): void {
		for (const letter of letters) {
			const key = letterKey(letter.summary);
			let at = this.#chunkOf.get(key);
			if (at === undefined) {
				at = this.#chunks.findLastIndex((chunk) => chunk.size < CHUNK);
				if (at === -1) at = this.#chunks.push(new Map()) - 1;
				this.#chunkOf.set(key, at);
			}
			this.#chunks[at]!.set(key, letter);
			this.#dirty.add(at);
		}
		this.#schedule();
	}

	remove(folder: Folder, id: string): void {
		const key = letterKey({ folder, id });
		const at = this.#chunkOf.get(key);
		if (at === undefined) return;
		this.#chunkOf.delete(key);
		this.#chunks[at]!.delete(key);
		this.#dirty.add(at);
		this.#schedule();
	}

	setCursor(folder: Folder, cursor: string): void {
		if (this.#cursors[folder] === cursor) return;
		this.#cursors = { ...this.#cursors, [folder]: cursor };
		this.#dirty.add('cursors');
		this.#schedule();
	}

	/** Writes every change made so far; resolves once they are on the device. */
	flush(): Promise<void> {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		// Serialised now, so later changes wait for the next write instead of racing this one.
		const changes = [...this.#dirty].map((what) =>
			what === 'cursors'
				? { name: 'cursors', plain: { version: 1, cursors: this.#cursors } }
				: {
						name: `chunk ${what}`,
						plain: encodeChunk(this.#chunks[what]!.values())
					}
		);
		this.#dirty.clear();
		// Letters before the cursors: a cursor must never pass letters that were not written.
		const write = this.#writing.then(async () => {
			await Promise.all(
				changes
					.filter((change) => change.name !== 'cursors')
					.map((c) => this.#seal(c.name, c.plain))
			);
			const cursors = changes.find((change) => change.name === 'cursors');
			if (cursors) await this.#seal(cursors.name, cursors.plain);
		});
		this.#writing = write.then(
			() => undefined,
			() => undefined
		);
		return write.then(() => undefined);
	}

	#schedule(): void {
		// Best effort: what is not written is made again from the mail on the next unlock.
		this.#timer ??= setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS);
	}

	async #seal(name: string, plain: unknown): Promise<void> {
		const key = `${this.owner} ${name}`;
		const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
		const sealed = await globalThis.crypto.subtle.encrypt(
			{ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(key) },
			this.key,
			new TextEncoder().encode(JSON.stringify(plain))
		);
		await this.table.put({ key, owner: this.owner, iv, sealed: new Uint8Array(sealed) });
	}

	async #open(record: SummaryRecord): Promise<unknown> {
		try {
			const plain = await globalThis.crypto.subtle.decrypt(
				{ name: 'AES-GCM', iv: record.iv, additionalData: new TextEncoder().encode(record.key) },
				this.key,
				record.sealed
			);
			return JSON.parse(new TextDecoder().decode(plain));
		} catch {
			return null;
		}
	}
}

function lettersOf(plain: unknown): Summary[] | null {
	try {
		return decodeChunk(plain);
	} catch {
		return null;
	}
}

function cursorsOf(plain: unknown): Cursors | null {
	const parsed = v.safeParse(CursorsSchema, plain);
	return parsed.success ? parsed.output.cursors : null;
}

/** One letter can sit in both folders (mail to oneself), so the folder is part of the key. */
function letterKey(summary: { folder: Folder; id: string }): string {
	return `${summary.folder} ${summary.id}`;
}
