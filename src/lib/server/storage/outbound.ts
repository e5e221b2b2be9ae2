// Federation's state: the relay's signing key and the outbound queue, one row per message and
// remote domain, leased by a worker until it settles the row or its lease runs out.
import type { Dialect } from './dialect';
import { storeMessageIn } from './messages';
import type { OutboundItem, Storage } from './types';

type OutboundMethods = Pick<
	Storage,
	'relayKey' | 'claimOutbound' | 'settleOutbound' | 'outboundStatus'
>;

export function outbound({ db, write, rowLocks }: Dialect): OutboundMethods {
	return {
		relayKey: (candidate) =>
			write(async (tx) => {
				await tx
					.insertInto('relay_keys')
					.values({
						id: 1,
						private_key: candidate.privateKey,
						public_key: candidate.publicKey,
						created_at: candidate.createdAt
					})
					.onConflict((conflict) => conflict.column('id').doNothing())
					.execute();
				const row = await tx
					.selectFrom('relay_keys')
					.select(['private_key', 'public_key', 'created_at'])
					.where('id', '=', 1)
					.executeTakeFirstOrThrow();
				return {
					privateKey: row.private_key,
					publicKey: row.public_key,
					createdAt: row.created_at
				};
			}),

		// PostgreSQL: SKIP LOCKED lets relay processes claiming at once take different rows instead
		// of waiting for each other. SQLite: the IMMEDIATE transaction lets one claim at a time.
		// Either way the lease keeps a claimed row from being claimed again until it is settled or
		// its holder has evidently died.
		claimOutbound: (now, leaseUntil, leaseToken, limit) =>
			write(async (tx) => {
				const due = await tx
					.selectFrom('outbound_queue')
					.select(['message_id', 'domain'])
					.where('state', '=', 'queued')
					.where('next_attempt_at', '<=', now)
					.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
					.orderBy('next_attempt_at')
					.limit(limit)
					.$if(rowLocks, (query) => query.forUpdate().skipLocked())
					.execute();
				const items: OutboundItem[] = [];
				for (const { message_id, domain } of due) {
					const row = await tx
						.updateTable('outbound_queue')
						.set((eb) => ({
							lease_until: leaseUntil,
							lease_token: leaseToken,
							attempts: eb('attempts', '+', 1)
						}))
						.where('message_id', '=', message_id)
						.where('domain', '=', domain)
						.returning(['sender', 'recipients', 'stamps', 'attempts', 'queued_at'])
						.executeTakeFirstOrThrow();
					const { armored } = await tx
						.selectFrom('messages')
						.select('armored')
						.where('id', '=', message_id)
						.executeTakeFirstOrThrow();
					items.push({
						messageId: message_id,
						domain,
						sender: row.sender,
						recipients: JSON.parse(row.recipients) as string[],
						...(row.stamps ? { stamps: JSON.parse(row.stamps) as Record<string, string> } : {}),
						armored,
						attempts: Number(row.attempts),
						queuedAt: row.queued_at,
						leaseToken
					});
				}
				return items;
			}),

		settleOutbound: (item, outcome) =>
			write(async (tx) => {
				const settled = {
					lease_until: null,
					lease_token: null,
					...(outcome.state === 'retry'
						? { next_attempt_at: outcome.nextAttemptAt, problem: outcome.problem }
						: outcome.state === 'delivered'
							? {
									state: 'delivered' as const,
									settled_at: outcome.at,
									acceptance: outcome.acceptance,
									acceptance_signature: outcome.signature,
									problem: null
								}
							: { state: 'failed' as const, settled_at: outcome.at, problem: outcome.problem })
				};
				const changed = await tx
					.updateTable('outbound_queue')
					.set(settled)
					.where('message_id', '=', item.messageId)
					.where('domain', '=', item.domain)
					.where('lease_token', '=', item.leaseToken)
					.executeTakeFirst();
				if (Number(changed.numUpdatedRows) === 0) return false;
				// The bounce is filed in the sender's inbox in the same transaction as the failure.
				if (outcome.state === 'failed' && outcome.bounce) {
					await storeMessageIn(db, tx, outcome.bounce);
				}
				return true;
			}),

		async outboundStatus(messageId) {
			const rows = await db
				.selectFrom('outbound_queue')
				.select(['domain', 'state', 'settled_at', 'problem'])
				.where('message_id', '=', messageId)
				.orderBy('domain')
				.execute();
			return rows.map((row) => ({
				domain: row.domain,
				state: row.state,
				at: row.settled_at,
				problem: row.problem
			}));
		}
	};
}
