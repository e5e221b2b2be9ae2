// Several relay processes may share one database (PostgreSQL behind a load balancer). Two relay
// instances on the same data stand in for them here.
import { describe, expect, it } from 'vitest';
import { backends, startRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn } from './support';

describe.each(backends())('two relays on one database (%s)', (backend) => {
	it('share sessions and file concurrent deliveries without gaps or duplicates', async () => {
		const one = await startRelay({ backend });
		const two = await startRelay({ backend, dataDir: one.dataDir, schema: one.schema });
		try {
			const alice = await register(one, 'alice@localhost');
			const bob = await register(two, 'bob@localhost');
			const token = await signIn(one, 'alice@localhost', alice);
			const bobToken = await signIn(two, 'bob@localhost', bob);

			const message = await encryptFor([bob], 'one of many');
			const sends = await Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					api(i % 2 ? one : two, 'POST', '/api/messages', {
						json: { to: ['bob@localhost'], message },
						token
					})
				)
			);
			expect(sends.map((s) => s.status)).toEqual(Array(20).fill(201));

			const listing = await api(two, 'GET', '/api/mailboxes/bob%40localhost/messages', {
				token: bobToken
			});
			const ids = listing.body.messages.map((m: { id: string }) => m.id);
			expect(new Set(ids)).toEqual(new Set(sends.map((s) => s.body.id)));
			expect(ids).toHaveLength(20);
			expect(listing.body.cursor).toBe('20');

			// Paging from any cursor yields exactly the rest, in order.
			const rest = await api(one, 'GET', '/api/mailboxes/bob@localhost/messages?after=7', {
				token: bobToken
			});
			expect(rest.body.messages.map((m: { id: string }) => m.id)).toEqual(ids.slice(7));
		} finally {
			await two.stop({ keep: true });
			await one.stop();
		}
	});
});
