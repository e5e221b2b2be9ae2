// One-time login challenges, sessions (token hashes only) and the one-time tickets that open a
// mailbox's event stream. Expired rows are dropped by the writes that make new ones.
import type { Dialect } from './dialect';
import type { Storage } from './types';

type SessionMethods = Pick<
	Storage,
	| 'createChallenge'
	| 'getChallenge'
	| 'redeemChallenge'
	| 'getSession'
	| 'listSessions'
	| 'revokeSession'
	| 'createEventTicket'
	| 'redeemEventTicket'
>;

export function sessions({ db, write }: Dialect): SessionMethods {
	return {
		createChallenge: (challenge, now) =>
			write(async (tx) => {
				await tx.deleteFrom('challenges').where('expires_at', '<=', now).execute();
				await tx
					.insertInto('challenges')
					.values({
						nonce: challenge.nonce,
						address: challenge.address,
						expires_at: challenge.expiresAt,
						used: false
					})
					.execute();
			}),

		async getChallenge(nonce) {
			const row = await db
				.selectFrom('challenges')
				.select(['nonce', 'address', 'expires_at', 'used'])
				.where('nonce', '=', nonce)
				.executeTakeFirst();
			return row
				? { nonce: row.nonce, address: row.address, expiresAt: row.expires_at, used: !!row.used }
				: undefined;
		},

		// The conditional UPDATE is the claim: of two logins racing, only one changes the row.
		redeemChallenge: (nonce, now, session) =>
			write(async (tx) => {
				const claimed = await tx
					.updateTable('challenges')
					.set({ used: true })
					.where('nonce', '=', nonce)
					.where('used', '=', false)
					.where('expires_at', '>', now)
					.executeTakeFirst();
				if (Number(claimed.numUpdatedRows) === 0) return false;
				await tx.deleteFrom('sessions').where('expires_at', '<=', now).execute();
				await tx
					.insertInto('sessions')
					.values({
						token_hash: session.tokenHash,
						address: session.address,
						expires_at: session.expiresAt,
						revoked: false
					})
					.execute();
				return true;
			}),

		async getSession(tokenHash) {
			const row = await db
				.selectFrom('sessions')
				.select(['address', 'expires_at', 'revoked'])
				.where('token_hash', '=', tokenHash)
				.executeTakeFirst();
			return row
				? { address: row.address, expiresAt: row.expires_at, revoked: !!row.revoked }
				: undefined;
		},

		async listSessions(address, now) {
			const rows = await db
				.selectFrom('sessions')
				.select(['token_hash', 'expires_at'])
				.where('address', '=', address)
				.where('revoked', '=', false)
				.where('expires_at', '>', now)
				.execute();
			return rows.map((row) => ({ tokenHash: row.token_hash, expiresAt: row.expires_at }));
		},

		revokeSession: (tokenHash) =>
			write(async (tx) => {
				await tx
					.updateTable('sessions')
					.set({ revoked: true })
					.where('token_hash', '=', tokenHash)
					.execute();
			}),

		createEventTicket: (ticket, now) =>
			write(async (tx) => {
				await tx.deleteFrom('event_tickets').where('expires_at', '<=', now).execute();
				await tx
					.insertInto('event_tickets')
					.values({
						ticket_hash: ticket.ticketHash,
						address: ticket.address,
						expires_at: ticket.expiresAt
					})
					.execute();
			}),

		async redeemEventTicket(ticketHash, now) {
			const row = await db
				.deleteFrom('event_tickets')
				.where('ticket_hash', '=', ticketHash)
				.where('expires_at', '>', now)
				.returning('address')
				.executeTakeFirst();
			return row?.address;
		}
	};
}
