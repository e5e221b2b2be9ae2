// The letters a mailbox benchmark lists: summaries sealed by the app's own SummaryStore, under
// the sealing secret of the identity the browser made, so the page opens them exactly as it
// opens summaries it wrote itself. Only the list's views are made up (no letter is encrypted:
// 100,000 OpenPGP letters would take the benchmark hours, and unlocking never decrypts them).
import type { Summary } from '../../src/lib/client/letter-view';
import type { Table } from '../../src/lib/client/local-db';
import { openSealingSecret, type SearchKeyRecord } from '../../src/lib/client/sealing-key';
import { SummaryStore, type SummaryRecord } from '../../src/lib/client/summary-store';
import { CryptoEngine } from '../../src/lib/crypto/engine';

export const OLDEST_SUBJECT = 'The oldest letter of all';

function mapTable<V extends object>(keyPath: keyof V, rows: V[] = []): Table<V> & { rows: V[] } {
	const map = new Map(rows.map((row) => [String(row[keyPath]), row]));
	return {
		get rows() {
			return [...map.values()];
		},
		get: async (key) => map.get(key),
		getAll: async () => [...map.values()],
		put: async (value) => void map.set(String(value[keyPath]), value),
		delete: async (key) => void map.delete(key)
	};
}

/** `count` letters from 300 senders over the years before 2026, a third of them answers. */
function letters(count: number, reader: string): Summary[] {
	const hex = (n: number) => (n * 2654435761).toString(16).padStart(8, '0').slice(0, 8).repeat(5);
	const words = ['meeting', 'report', 'invoice', 'tomorrow', 'draft', 'photos', 'plans', 'notes'];
	return Array.from({ length: count }, (_, n) => {
		const sender = `person${n % 300}@example.org`;
		const at = new Date(Date.UTC(2016, 0, 1) + n * 90_000).toISOString();
		const subject = n === 0 ? OLDEST_SUBJECT : `${words[n % 8]} ${words[(n >> 3) % 8]} number ${n}`;
		return {
			summary: { id: `bench-${n}`, folder: 'inbox', from: sender, receivedAt: at, size: 2400 },
			view: {
				from: {
					name: `Person ${n % 300}`,
					address: sender,
					fingerprint: hex(n % 300),
					conflict: false
				},
				to: [{ address: reader, fingerprint: null, conflict: false }],
				subject,
				date: at,
				signature: { state: 'valid', signer: hex(n % 300), signedAt: at },
				imported: false,
				messageId: `bench-${n}@example.org`,
				...(n % 3 === 2 ? { inReplyTo: `bench-${n - 1}@example.org` } : {}),
				references: n % 3 === 2 ? [`bench-${n - 1}@example.org`] : [],
				attachments: n % 5 === 0 ? [{ name: `scan-${n}.pdf` }] : []
			}
		};
	});
}

/** The page's summary records with `count` more letters, sealed as the page would seal them. */
export async function sealedFixtures(options: {
	count: number;
	identity: { address: string; publicKey: string; lockedPrivateKey: string };
	passphrase: string;
	searchKey: SearchKeyRecord;
	existing: SummaryRecord[];
}): Promise<SummaryRecord[]> {
	const { count, identity, passphrase, searchKey, existing } = options;
	const engine = new CryptoEngine();
	await engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase });
	const secret = await openSealingSecret(mapTable('address', [searchKey]), engine, identity);
	const table = mapTable<SummaryRecord>('key', existing);
	const store = await SummaryStore.withSecret(table, identity.address, secret);
	const loaded = await store.load();
	if (loaded.refused > 0)
		throw new Error('The page’s own summaries did not open in the benchmark.');
	store.put(letters(count, identity.address));
	await store.flush();
	await engine.lock();
	return table.rows;
}
