// Attachment block metadata: each block's size and age, who uploaded it (their quota, their
// right to read it) and which messages refer to it. The bytes live elsewhere (BlockBytes).
import type { Dialect } from './dialect';
import { batches } from './messages';
import type { Storage } from './types';

type BlockMethods = Pick<
	Storage,
	'recordBlock' | 'getBlock' | 'mayReadBlock' | 'heldBlockBytes' | 'blocksNotHeld' | 'sweepBlocks'
>;

export function blocks({ db, write }: Dialect): BlockMethods {
	return {
		recordBlock: (hash, size, holder, now) =>
			write(async (tx) => {
				await tx
					.insertInto('blocks')
					.values({ hash, size, last_put_at: now })
					.onConflict((conflict) =>
						conflict
							.column('hash')
							.doUpdateSet((eb) => ({ last_put_at: eb.ref('excluded.last_put_at') }))
					)
					.execute();
				await tx
					.insertInto('block_holders')
					.values({ hash, account: holder })
					.onConflict((conflict) => conflict.doNothing())
					.execute();
			}),

		async getBlock(hash) {
			const row = await db
				.selectFrom('blocks')
				.select('size')
				.where('hash', '=', hash)
				.executeTakeFirst();
			return row ? { size: Number(row.size) } : undefined;
		},

		async mayReadBlock(hash, account) {
			const held = await db
				.selectFrom('block_holders')
				.select('hash')
				.where('hash', '=', hash)
				.where('account', '=', account)
				.executeTakeFirst();
			if (held) return true;
			const received = await db
				.selectFrom('message_blocks as b')
				.innerJoin('mailbox_entries as e', 'e.message_id', 'b.message_id')
				.select('b.hash')
				.where('b.hash', '=', hash)
				.where('e.owner', '=', account)
				.limit(1)
				.executeTakeFirst();
			return received !== undefined;
		},

		async heldBlockBytes(account) {
			const row = await db
				.selectFrom('block_holders as h')
				.innerJoin('blocks as b', 'b.hash', 'h.hash')
				.select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('b.size'), eb.lit(0)).as('total'))
				.where('h.account', '=', account)
				.executeTakeFirstOrThrow();
			return Number(row.total);
		},

		async blocksNotHeld(holder, hashes) {
			const wanted = [...new Set(hashes)];
			const held = new Set<string>();
			for (const batch of batches(wanted)) {
				const rows = await db
					.selectFrom('block_holders')
					.select('hash')
					.where('account', '=', holder)
					.where('hash', 'in', batch)
					.execute();
				for (const row of rows) held.add(row.hash);
			}
			return wanted.filter((hash) => !held.has(hash));
		},

		sweepBlocks: (before) =>
			write(async (tx) => {
				const rows = await tx
					.deleteFrom('blocks')
					.where('last_put_at', '<', before)
					.where(({ not, exists, selectFrom }) =>
						not(
							exists(
								selectFrom('message_blocks as m')
									.select('m.hash')
									.whereRef('m.hash', '=', 'blocks.hash')
							)
						)
					)
					.returning('hash')
					.execute();
				return rows.map((row) => row.hash);
			})
	};
}
