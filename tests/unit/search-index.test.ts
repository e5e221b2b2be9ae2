// The search index: what a query finds, and that the sealed copy on the device reveals no words
// and opens only with the identity's unlocked key.
import { beforeAll, describe, expect, it } from 'vitest';
import { SearchIndex, documentOf, wordsOf } from '../../src/lib/client/search-index';
import {
	SearchStore,
	type SearchEntryRecord,
	type SearchKeyRecord,
	type SearchTables
} from '../../src/lib/client/search-store';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import type { GeneratedIdentity } from '../../src/lib/crypto/types';
import { memoryTable } from '../helpers/memory-table';

const mail = (overrides: Partial<Parameters<typeof documentOf>[1]> = {}) => ({
	from: { name: 'Alice Liddell', address: 'alice@example.org' },
	to: [{ address: 'bob@example.org' }],
	subject: 'Quarterly report',
	body: 'The numbers are in. Café on Friday?',
	attachments: [{ name: 'report-Q3.pdf' }],
	...overrides
});

describe('search index', () => {
	const index = new SearchIndex();
	index.add(documentOf('inbox 1', mail()));
	index.add(
		documentOf(
			'inbox 2',
			mail({
				from: { name: 'Carol', address: 'carol@example.org' },
				subject: 'Lunch',
				body: 'Soup or salad?',
				attachments: []
			})
		)
	);

	it.each([
		['a body word, in any case', 'NUMBERS', ['inbox 1']],
		['a word by its start', 'quart', ['inbox 1']],
		['the sender by name', 'carol', ['inbox 2']],
		['the sender by address', 'alice@example.org', ['inbox 1']],
		['a recipient', 'bob', ['inbox 1', 'inbox 2']],
		['an attachment name', 'report-q3.pdf', ['inbox 1']],
		['accented words, however they are composed', 'cafe\u0301', ['inbox 1']],
		['every word of the query', 'soup salad', ['inbox 2']],
		['nothing when one word is missing', 'soup numbers', []]
	])('finds %s', (_, query, expected) => {
		expect([...index.search(query)!].sort()).toEqual(expected);
	});

	it('treats a query without words as no search', () => {
		expect(index.search('  ,. ')).toBeNull();
	});

	it('forgets a removed message and replaces one added again', () => {
		const local = new SearchIndex();
		local.add(documentOf('sent 9', mail()));
		local.add(documentOf('sent 9', mail({ body: 'Entirely different', subject: '' })));
		expect(local.search('numbers')).toEqual(new Set());
		expect(local.search('entirely')).toEqual(new Set(['sent 9']));
		local.remove('sent 9');
		expect(local.search('entirely')).toEqual(new Set());
		expect(local.size).toBe(0);
	});

	it('splits addresses and file names into words', () => {
		expect(wordsOf('Report-Q3.PDF <x.y@example.org>')).toEqual([
			'report',
			'q3',
			'pdf',
			'x',
			'y',
			'example',
			'org'
		]);
	});
});

describe('sealed search index', () => {
	const PASSPHRASE = 'correct horse battery staple';
	const engine = new CryptoEngine();
	const stranger = new CryptoEngine();
	let identity: GeneratedIdentity;
	let other: GeneratedIdentity;

	beforeAll(async () => {
		[identity, other] = await Promise.all([
			engine.generateIdentity({ name: 'Alice', address: 'alice@x.org', passphrase: PASSPHRASE }),
			stranger.generateIdentity({ name: 'Eve', address: 'eve@x.org', passphrase: PASSPHRASE })
		]);
		await engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase: PASSPHRASE });
		await stranger.unlock({ lockedPrivateKey: other.lockedPrivateKey, passphrase: PASSPHRASE });
	});

	const tables = () => ({
		searchKeys: memoryTable<SearchKeyRecord>('address'),
		searchEntries: memoryTable<SearchEntryRecord>('key')
	});

	it('stores no word in the clear and reads every document back after a new unlock', async () => {
		const stored = tables();
		const store = await SearchStore.open(stored, engine, identity);
		await store.save(documentOf('inbox 1', mail()));
		const text = new TextDecoder().decode(
			new Uint8Array([...stored.searchEntries.rows.values()].flatMap((row) => [...row.sealed]))
		);
		for (const word of ['quarterly', 'numbers', 'alice', 'report']) {
			expect(text.toLowerCase()).not.toContain(word);
		}
		expect(stored.searchKeys.rows.get('alice@x.org')?.sealed).toContain('BEGIN PGP MESSAGE');

		const reopened = await SearchStore.open(stored, engine, identity);
		expect(await reopened.load()).toEqual([documentOf('inbox 1', mail())]);
	});

	it('cannot be opened with another key, and a record moved to another key does not open', async () => {
		const stored: SearchTables = tables();
		const store = await SearchStore.open(stored, engine, identity);
		await store.save(documentOf('inbox 1', mail()));
		const record = (await stored.searchEntries.get('alice@x.org inbox 1'))!;
		await stored.searchEntries.put({ ...record, key: 'alice@x.org inbox 2' });
		const reopened = await SearchStore.open(stored, engine, identity);
		expect((await reopened.load()).map((document) => document.key)).toEqual(['inbox 1']);

		// Someone else's engine cannot open the sealed secret, so it starts an index of its own.
		const foreign = await SearchStore.open(stored, stranger, { ...identity });
		expect(await foreign.load()).toEqual([]);
	});
});
