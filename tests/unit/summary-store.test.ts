// The sealed summary store: what the list shows of each letter, on the device. It reveals no
// subject or sender, opens with the identity's unlocked key in a few large decryptions, and a
// record that was changed, moved or sealed by someone else is refused, never listed.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/lib/client/letter-view';
import type { SearchKeyRecord } from '../../src/lib/client/sealing-key';
import { CHUNK, SummaryStore, type SummaryRecord } from '../../src/lib/client/summary-store';
import type { CryptoEngine } from '../../src/lib/crypto/engine';
import type { GeneratedIdentity } from '../../src/lib/crypto/types';
import { memoryTable } from '../helpers/memory-table';
import { unlockedIdentity } from '../helpers/unlocked-identity';

function letter(n: number, subject = `Quarterly report ${n}`): Summary {
	const receivedAt = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
	return {
		summary: { id: `m${n}`, folder: 'inbox', from: 'alice@x.org', receivedAt, size: 900 },
		view: {
			from: {
				name: 'Alice Liddell',
				address: 'alice@x.org',
				fingerprint: 'ab'.repeat(20),
				conflict: false
			},
			to: [{ address: 'bob@x.org', fingerprint: null, conflict: false }],
			subject,
			date: receivedAt,
			signature: { state: 'valid', signer: 'ab'.repeat(20), signedAt: receivedAt },
			imported: false,
			messageId: `m${n}@x.org`,
			references: [],
			attachments: [{ name: 'numbers.pdf' }]
		}
	};
}

describe('sealed summary store', () => {
	let engine: CryptoEngine;
	let stranger: CryptoEngine;
	let identity: GeneratedIdentity;

	beforeAll(async () => {
		[{ engine, identity }, { engine: stranger }] = await Promise.all([
			unlockedIdentity('Bob', 'bob@x.org'),
			unlockedIdentity('Eve', 'eve@x.org')
		]);
	});

	const tables = () => ({
		searchKeys: memoryTable<SearchKeyRecord>('address'),
		summaries: memoryTable<SummaryRecord>('key')
	});

	/** A store with `count` letters and an inbox cursor, written and opened again (a re-unlock). */
	async function filled(count: number, stored = tables()) {
		const store = await SummaryStore.open(stored, engine, identity);
		await store.load();
		store.put(Array.from({ length: count }, (_, n) => letter(n)));
		store.setCursor('inbox', String(count));
		await store.flush();
		return { stored, reopened: await SummaryStore.open(stored, engine, identity) };
	}

	it('keeps no subject, sender or file name in the clear, in a few large records', async () => {
		const count = CHUNK + 500;
		const { stored, reopened } = await filled(count);
		// Two chunks and the cursors: one decryption per 2,000 letters, not one per letter.
		expect([...stored.summaries.rows.keys()].sort()).toEqual([
			'bob@x.org chunk 0',
			'bob@x.org chunk 1',
			'bob@x.org cursors'
		]);
		const text = new TextDecoder().decode(
			new Uint8Array([...stored.summaries.rows.values()].flatMap((row) => [...row.sealed]))
		);
		for (const word of ['Quarterly', 'Alice', 'alice@x.org', 'numbers.pdf', 'm17@x.org']) {
			expect(text).not.toContain(word);
		}

		const loaded = await reopened.load();
		expect(loaded.refused).toBe(0);
		expect(loaded.cursors).toEqual({ inbox: String(count) });
		expect(loaded.letters).toHaveLength(count);
		expect(loaded.letters.find((each) => each.summary.id === 'm2345')).toEqual(letter(2345));
	});

	it('replaces a letter in place and forgets a removed one', async () => {
		const { stored, reopened } = await filled(3);
		await reopened.load();
		reopened.put([letter(1, 'Revised')]);
		reopened.remove('inbox', 'm0');
		await reopened.flush();
		const loaded = await (await SummaryStore.open(stored, engine, identity)).load();
		expect(loaded.letters.map((each) => [each.summary.id, each.view?.subject])).toEqual([
			['m1', 'Revised'],
			['m2', 'Quarterly report 2']
		]);
	});

	it('refuses a changed chunk: none of its letters is listed, and listing starts over', async () => {
		const { stored, reopened } = await filled(CHUNK + 2);
		const record = stored.summaries.rows.get('bob@x.org chunk 1')!;
		const sealed = new Uint8Array(record.sealed);
		sealed[40] = sealed[40]! ^ 1;
		stored.summaries.rows.set(record.key, { ...record, sealed });

		const loaded = await reopened.load();
		expect(loaded.refused).toBe(1);
		expect(loaded.letters).toHaveLength(CHUNK);
		expect(loaded.letters.some((each) => each.summary.id === `m${CHUNK}`)).toBe(false);
		// The cursor would skip the refused letters: the relay is listed from the start again.
		expect(loaded.cursors).toEqual({});
		expect(stored.summaries.rows.has('bob@x.org chunk 1')).toBe(false);
	});

	it('refuses a chunk moved to another place or identity, and one sealed by another key', async () => {
		const { stored } = await filled(2);
		const record = stored.summaries.rows.get('bob@x.org chunk 0')!;
		stored.summaries.rows.delete(record.key);
		stored.summaries.rows.set('bob@x.org chunk 3', { ...record, key: 'bob@x.org chunk 3' });
		const moved = await (await SummaryStore.open(stored, engine, identity)).load();
		expect(moved).toMatchObject({ letters: [], refused: 1 });

		// Someone else's engine cannot open the sealed secret, so nothing of Bob's opens for it.
		const again = await filled(2);
		const foreign = await SummaryStore.open(again.stored, stranger, { ...identity });
		expect(await foreign.load()).toMatchObject({ letters: [], cursors: {}, refused: 2 });
	});
});
