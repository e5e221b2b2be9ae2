import { describe, expect, it } from 'vitest';
import { backends, startRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn } from './support';

describe.each(backends())('durability (%s)', (backend) => {
	it('keeps accounts, sessions and mail across a restart on the same data', async () => {
		const first = await startRelay({ backend });
		const alice = await register(first, 'alice@localhost');
		const bob = await register(first, 'bob@localhost');
		const token = await signIn(first, 'alice@localhost', alice);
		const message = await encryptFor([bob], 'still here after a restart');
		const sent = await api(first, 'POST', '/api/messages', {
			json: { to: ['bob@localhost'], message },
			token
		});
		expect(sent.status).toBe(201);
		await first.stop({ keep: true });

		const second = await startRelay({ backend, dataDir: first.dataDir, schema: first.schema });
		try {
			const lookup = await api(second, 'GET', '/api/keys/alice@localhost');
			expect(lookup.body.keys[0].fingerprint).toBe(alice.fingerprint);
			// The old session survives too, so a restart does not sign everyone out.
			expect(
				(await api(second, 'GET', '/api/mailboxes/alice@localhost/messages?folder=sent', { token }))
					.body.messages[0].id
			).toBe(sent.body.id);
			const bobToken = await signIn(second, 'bob@localhost', bob);
			const fetched = await api(
				second,
				'GET',
				`/api/mailboxes/bob@localhost/messages/${sent.body.id}`,
				{
					token: bobToken
				}
			);
			expect(fetched.body.message).toBe(message);
			const again = await register(second, 'carol@localhost');
			expect(again.fingerprint).toMatch(/^[0-9A-F]{40}$/);
		} finally {
			await second.stop();
		}
	});
});
