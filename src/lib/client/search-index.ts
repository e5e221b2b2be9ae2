// The search index over decrypted mail, in memory while the key is unlocked: every word of a
// message's sender, recipients, subject, body and attachment names, mapped to the messages that
// contain it. A query matches the messages that have, for each of its words, a word starting
// with it ("rep" finds "report"). Pure logic: persistence (encrypted) is search-store.ts.

/** What the index knows of one message: its words, by field, already lowercased. */
export interface SearchDocument {
	/** Unique per mailbox: `folder id`, so mail to oneself is found in Inbox and in Sent. */
	key: string;
	words: string[];
}

export interface SearchableMail {
	from: { name: string; address: string };
	to: { address: string }[];
	subject: string;
	body: string;
	attachments: { name: string }[];
}

const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** Lowercased words of `text`: letters and digits, split at everything else (so an address or a
 * file name becomes its parts, and a query written the same way finds them). */
export function wordsOf(text: string): string[] {
	return text.normalize('NFKC').toLowerCase().split(SEPARATORS).filter(Boolean);
}

export function documentOf(key: string, mail: SearchableMail): SearchDocument {
	const text = [
		mail.from.name,
		mail.from.address,
		...mail.to.map((recipient) => recipient.address),
		mail.subject,
		mail.body,
		...mail.attachments.map((attachment) => attachment.name)
	].join('\n');
	return { key, words: [...new Set(wordsOf(text))] };
}

export class SearchIndex {
	/** word → keys of the documents containing it. */
	readonly #postings = new Map<string, Set<string>>();
	/** key → its words, so a document can be replaced or removed. */
	readonly #documents = new Map<string, string[]>();
	/** Every word, sorted, for prefix lookups by binary search; rebuilt after changes. */
	#sorted: string[] | null = null;

	get size(): number {
		return this.#documents.size;
	}

	has(key: string): boolean {
		return this.#documents.has(key);
	}

	add(document: SearchDocument): void {
		this.remove(document.key);
		this.#documents.set(document.key, document.words);
		for (const word of document.words) {
			let keys = this.#postings.get(word);
			if (!keys) {
				keys = new Set();
				this.#postings.set(word, keys);
				this.#sorted = null;
			}
			keys.add(document.key);
		}
	}

	remove(key: string): void {
		const words = this.#documents.get(key);
		if (!words) return;
		this.#documents.delete(key);
		for (const word of words) {
			const keys = this.#postings.get(word);
			keys?.delete(key);
			if (keys?.size === 0) {
				this.#postings.delete(word);
				this.#sorted = null;
			}
		}
	}

	/** Keys of the documents matching every word of `query`; null for a query with no words. */
	search(query: string): Set<string> | null {
		const words = [...new Set(wordsOf(query))];
		if (words.length === 0) return null;
		// The rarest prefix first keeps the intersection small.
		const candidates = words.map((word) => this.#withPrefix(word)).sort((a, b) => a.size - b.size);
		let result = candidates[0]!;
		for (const next of candidates.slice(1)) {
			result = new Set([...result].filter((key) => next.has(key)));
		}
		return result;
	}

	#withPrefix(prefix: string): Set<string> {
		const sorted = (this.#sorted ??= [...this.#postings.keys()].sort());
		const found = new Set<string>();
		for (let at = firstNotBefore(sorted, prefix); at < sorted.length; at++) {
			const word = sorted[at]!;
			if (!word.startsWith(prefix)) break;
			for (const key of this.#postings.get(word)!) found.add(key);
		}
		return found;
	}
}

/** The index of the first element of `sorted` that is not less than `target`. */
function firstNotBefore(sorted: string[], target: string): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (sorted[middle]! < target) low = middle + 1;
		else high = middle;
	}
	return low;
}
