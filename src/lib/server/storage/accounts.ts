// Accounts and the key directory: an account's key is a directory key with source 'account';
// keys found elsewhere are 'imported'. Several keys for one address are a conflict for clients.
import { splitAddress } from '$lib/protocol';
import { wkdHash } from '../wkd';
import type { Db, Dialect } from './dialect';
import type { DirectoryKeyRecord, KeySource, Storage } from './types';

type AccountMethods = Pick<
	Storage,
	| 'createAccount'
	| 'getAccount'
	| 'addDirectoryKey'
	| 'listDirectoryKeys'
	| 'replaceAccountKey'
	| 'listDirectoryKeysByWkdHash'
>;

async function insertKey(
	db: Db,
	key: { address: string; fingerprint: string; armored: string; source: KeySource },
	createdAt: string
): Promise<void> {
	await db
		.insertInto('directory_keys')
		.values({ ...key, wkd_hash: wkdHash(splitAddress(key.address).local), created_at: createdAt })
		.onConflict((conflict) => conflict.columns(['address', 'fingerprint']).doNothing())
		.execute();
}

const keyColumns = ['address', 'fingerprint', 'armored', 'source', 'created_at'] as const;

const toKey = (row: {
	address: string;
	fingerprint: string;
	armored: string;
	source: KeySource;
	created_at: string;
}): DirectoryKeyRecord => ({
	address: row.address,
	fingerprint: row.fingerprint,
	publicKey: row.armored,
	source: row.source,
	createdAt: row.created_at
});

export function accounts({ db, write }: Dialect): AccountMethods {
	const keysWhere = async (column: 'address' | 'wkd_hash', value: string) => {
		const rows = await db
			.selectFrom('directory_keys')
			.select(keyColumns)
			.where(column, '=', value)
			.orderBy('id')
			.execute();
		return rows.map(toKey);
	};
	return {
		createAccount: (account) =>
			write(async (tx) => {
				const inserted = await tx
					.insertInto('accounts')
					.values({
						address: account.address,
						fingerprint: account.fingerprint,
						created_at: account.createdAt
					})
					.onConflict((conflict) => conflict.column('address').doNothing())
					.executeTakeFirst();
				if (Number(inserted.numInsertedOrUpdatedRows) === 0) return 'taken';
				await insertKey(
					tx,
					{
						address: account.address,
						fingerprint: account.fingerprint,
						armored: account.publicKey,
						source: 'account'
					},
					account.createdAt
				);
				return 'created';
			}),

		async getAccount(address) {
			const row = await db
				.selectFrom('accounts as a')
				.innerJoin('directory_keys as k', (join) =>
					join.onRef('k.address', '=', 'a.address').onRef('k.fingerprint', '=', 'a.fingerprint')
				)
				.select(['a.address', 'a.fingerprint', 'k.armored', 'a.created_at'])
				.where('a.address', '=', address)
				.executeTakeFirst();
			return row
				? {
						address: row.address,
						fingerprint: row.fingerprint,
						publicKey: row.armored,
						createdAt: row.created_at
					}
				: undefined;
		},

		addDirectoryKey: (address, fingerprint, armored, source, createdAt) =>
			write((tx) =>
				insertKey(
					tx,
					{ address, fingerprint, armored, source },
					createdAt ?? new Date().toISOString()
				)
			),

		replaceAccountKey: (address, expected, key, now) =>
			write(async (tx) => {
				const swapped = await tx
					.updateTable('accounts')
					.set({ fingerprint: key.fingerprint })
					.where('address', '=', address)
					.where('fingerprint', '=', expected)
					.executeTakeFirst();
				if (Number(swapped.numUpdatedRows) === 0) return false;
				await tx
					.deleteFrom('directory_keys')
					.where('address', '=', address)
					.where('fingerprint', '=', expected)
					.where('source', '=', 'account')
					.execute();
				await insertKey(
					tx,
					{ address, fingerprint: key.fingerprint, armored: key.publicKey, source: 'account' },
					now
				);
				return true;
			}),

		listDirectoryKeys: (address) => keysWhere('address', address),

		async listDirectoryKeysByWkdHash(hash, domain) {
			const keys = await keysWhere('wkd_hash', hash);
			return keys.filter((key) => splitAddress(key.address).domain === domain);
		}
	};
}
