// Mailing lists: an address on this relay, its owner, and members with their answer to the
// invitation; only those who accepted receive the list's mail.
import type { Dialect } from './dialect';
import type { MembershipStatus, Storage } from './types';

type ListMethods = Pick<
	Storage,
	'putList' | 'getList' | 'answerMembership' | 'listMemberships' | 'deleteList'
>;

export function lists({ db, write, lock, rowLocks }: Dialect): ListMethods {
	return {
		putList: (list) =>
			write(async (tx) => {
				// Two accounts racing to create one list: the lock lets only the first one win.
				await lock(tx, `list:${list.address}`);
				const account = await tx
					.selectFrom('accounts')
					.select('address')
					.where('address', '=', list.address)
					.executeTakeFirst();
				if (account) return 'taken';
				const existing = await tx
					.selectFrom('lists')
					.select('owner')
					.where('address', '=', list.address)
					.executeTakeFirst();
				if (existing && existing.owner !== list.owner) return 'not-owner';
				if (!existing) {
					await tx
						.insertInto('lists')
						.values({ address: list.address, owner: list.owner, created_at: list.createdAt })
						.execute();
				}
				await tx
					.deleteFrom('list_members')
					.where('list', '=', list.address)
					.$if(list.members.length > 0, (query) => query.where('member', 'not in', list.members))
					.execute();
				if (list.members.length > 0) {
					// A member named before keeps their answer; the owner's own act is consent.
					await tx
						.insertInto('list_members')
						.values(
							list.members.map((member) => ({
								list: list.address,
								member,
								status: member === list.owner ? ('accepted' as const) : ('invited' as const)
							}))
						)
						.onConflict((conflict) => conflict.doNothing())
						.execute();
				}
				return existing ? 'replaced' : 'created';
			}),

		async getList(address) {
			const list = await db
				.selectFrom('lists')
				.select('owner')
				.where('address', '=', address)
				.executeTakeFirst();
			if (!list) return undefined;
			const members = await db
				.selectFrom('list_members')
				.select(['member', 'status'])
				.where('list', '=', address)
				.orderBy('member')
				.execute();
			return {
				address,
				owner: list.owner,
				members: members.map((row) => ({ address: row.member, status: row.status }))
			};
		},

		async answerMembership(list, member, status) {
			const changed = await db
				.updateTable('list_members')
				.set({ status })
				.where('list', '=', list)
				.where('member', '=', member)
				.executeTakeFirst();
			return Number(changed.numUpdatedRows) > 0;
		},

		async listMemberships(member) {
			const rows = await db
				.selectFrom('list_members as m')
				.innerJoin('lists as l', 'l.address', 'm.list')
				.select(['m.list', 'l.owner', 'm.status'])
				.where('m.member', '=', member)
				.orderBy('m.list')
				.execute();
			return rows.map((row) => ({
				list: row.list,
				owner: row.owner,
				status: row.status as MembershipStatus
			}));
		},

		deleteList: (address, owner) =>
			write(async (tx) => {
				const list = await tx
					.selectFrom('lists')
					.select('owner')
					.where('address', '=', address)
					.$if(rowLocks, (query) => query.forUpdate())
					.executeTakeFirst();
				if (!list) return 'missing';
				if (list.owner !== owner) return 'not-owner';
				await tx.deleteFrom('lists').where('address', '=', address).execute();
				return 'deleted';
			})
	};
}
