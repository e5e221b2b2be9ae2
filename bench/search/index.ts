// Search over 10,000 decrypted messages, as the mail page runs it: the index answers a query,
// then the folder's entries are filtered by the keys it found. Anchor: a plain linear scan of
// the same messages' text (lowercased, joined, `includes` per word), as a search without an
// index would do. Also timed: reading the sealed index back on unlock, against building it
// from the plaintext. Runs in Node (the index is plain TypeScript; WebCrypto is Node's).
import type { Table } from '../../src/lib/client/local-db';
import { SearchIndex, documentOf, type SearchableMail } from '../../src/lib/client/search-index';
import {
	SearchStore,
	type SearchEntryRecord,
	type SearchKeyRecord
} from '../../src/lib/client/search-store';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { compared, type Figure } from '../lib/figures';

const MESSAGES = Number(process.env.BENCH_SEARCH_MESSAGES ?? 10_000);
const GOAL_MS = 100;
const REPEATS = 5;

/** A fixed pseudo-random sequence, so every run searches the same mail. */
function generator(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

function makeMail(count: number): SearchableMail[] {
	const random = generator(42);
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
	// 30,000 distinct words with a few common ones, roughly like a real mailbox's vocabulary.
	const syllables = ['ka', 'lo', 'mi', 'ne', 'su', 'ra', 'to', 'vi', 'de', 'po', 'an', 'el'];
	const rare = Array.from({ length: 30_000 }, (_, index) => {
		let word = '';
		for (let n = index + 1; n > 0; n = Math.floor(n / syllables.length)) {
			word += syllables[n % syllables.length];
		}
		return word;
	});
	const common = ['the', 'and', 'meeting', 'report', 'thanks', 'tomorrow', 'please', 'invoice'];
	const people = Array.from({ length: 300 }, (_, index) => `person${index}`);
	return Array.from({ length: count }, () => {
		const words = Array.from({ length: 150 }, () => (random() < 0.3 ? pick(common) : pick(rare)));
		const sender = pick(people);
		return {
			from: { name: `Person ${sender}`, address: `${sender}@example.org` },
			to: [{ address: `${pick(people)}@example.org` }],
			subject: words.slice(0, 5).join(' '),
			body: words.join(' '),
			attachments: random() < 0.2 ? [{ name: `${pick(rare)}-scan.pdf` }] : []
		};
	});
}

function median(values: number[]): number {
	return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** The slowest query's median time, in ms. */
function timeQueries(queries: string[], run: (query: string) => number): number {
	return Math.max(
		...queries.map((query) =>
			median(
				Array.from({ length: REPEATS }, () => {
					const started = performance.now();
					run(query);
					return performance.now() - started;
				})
			)
		)
	);
}

function mapTable<V extends object>(keyPath: keyof V): Table<V> {
	const rows = new Map<string, V>();
	return {
		get: async (key) => rows.get(key),
		getAll: async () => [...rows.values()],
		put: async (value) => void rows.set(String(value[keyPath]), value),
		delete: async (key) => void rows.delete(key)
	};
}

export async function runSearchBench(): Promise<Figure[]> {
	const mails = makeMail(MESSAGES);
	const keys = mails.map((_, index) => `inbox ${index}`);
	const documents = mails.map((mail, index) => documentOf(keys[index]!, mail));
	const index = new SearchIndex();
	for (const document of documents) index.add(document);

	// A common word, a rare word, a prefix, two words, a sender, an attachment name, no match.
	const queries = [
		'meeting',
		documents[1234 % MESSAGES]!.words.at(-1)!,
		'ka',
		'invoice tomorrow',
		'person17@example.org',
		'scan.pdf',
		'zzzz'
	];
	const searchMs = timeQueries(queries, (query) => {
		const found = index.search(query)!;
		return keys.filter((key) => found.has(key)).length;
	});
	const haystacks = mails.map((mail) =>
		[
			mail.subject,
			mail.body,
			mail.from.name,
			mail.from.address,
			...mail.to.map((to) => to.address),
			...mail.attachments.map((attachment) => attachment.name)
		]
			.join('\n')
			.toLowerCase()
	);
	const scanMs = timeQueries(queries, (query) => {
		const words = query.toLowerCase().split(/\s+/);
		return haystacks.filter((text) => words.every((word) => text.includes(word))).length;
	});

	const engine = new CryptoEngine();
	const passphrase = 'bench passphrase';
	const identity = await engine.generateIdentity({
		name: 'Bench',
		address: 'bench@example.org',
		passphrase
	});
	await engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase });
	const tables = {
		searchKeys: mapTable<SearchKeyRecord>('address'),
		searchEntries: mapTable<SearchEntryRecord>('key')
	};
	const store = await SearchStore.open(tables, engine, identity);
	await Promise.all(documents.map((document) => store.save(document)));
	let started = performance.now();
	const loaded = new SearchIndex();
	for (const document of await (await SearchStore.open(tables, engine, identity)).load()) {
		loaded.add(document);
	}
	const loadMs = performance.now() - started;
	started = performance.now();
	const rebuilt = new SearchIndex();
	for (const [at, mail] of mails.entries()) rebuilt.add(documentOf(keys[at]!, mail));
	const rebuildMs = performance.now() - started;
	if (loaded.size !== MESSAGES)
		throw new Error(`The sealed index gave back ${loaded.size} messages.`);

	const count = MESSAGES.toLocaleString('en');
	return [
		{
			...compared(
				'search',
				`slowest of ${queries.length} queries, ${count} messages`,
				{ value: searchMs, unit: 'ms' },
				{ value: scanMs, unit: 'ms', name: 'linear scan of the same text' }
			),
			goal: { text: `< ${GOAL_MS} ms`, met: searchMs < GOAL_MS }
		},
		compared(
			'search',
			`open the sealed index on unlock, ${count} messages`,
			{ value: loadMs, unit: 'ms' },
			{ value: rebuildMs, unit: 'ms', name: 'index built from plaintext' }
		)
	];
}
