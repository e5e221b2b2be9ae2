// Importing mail from a file into one's own inbox: the owner files ciphertext encrypted to
// themself; it shows as imported with the sender the file claims, in nobody else's mailbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn, type TestKey } from './support';

describe.each(backends())('imports (%s)', (backend) => {
	let relay: RunningRelay;
	let key: TestKey;
	let token: string;

	beforeAll(async () => {
		relay = await startRelay({ backend });
		key = await register(relay, 'ida@localhost');
		token = await signIn(relay, 'ida@localhost', key);
	});
	afterAll(() => relay.stop());

	it('files an imported message in the owner’s inbox only, marked imported', async () => {
		const message = await encryptFor([key], 'From an old mail program');
		const imported = await api(relay, 'POST', '/api/mailboxes/ida@localhost/imports', {
			token,
			json: { from: 'Old.Friend@Example.org', message }
		});
		expect(imported.status).toBe(201);

		const inbox = await api(relay, 'GET', '/api/mailboxes/ida@localhost/messages?folder=inbox', {
			token
		});
		expect(inbox.body.messages).toEqual([
			expect.objectContaining({
				id: imported.body.id,
				from: 'old.friend@example.org',
				imported: true
			})
		]);
		const sent = await api(relay, 'GET', '/api/mailboxes/ida@localhost/messages?folder=sent', {
			token
		});
		expect(sent.body.messages).toEqual([]);
		const stored = await api(
			relay,
			'GET',
			`/api/mailboxes/ida@localhost/messages/${imported.body.id}`,
			{ token }
		);
		expect(stored.body).toMatchObject({ imported: true, message });
	});

	it('refuses readable text, so nothing readable reaches the relay', async () => {
		const plain = await api(relay, 'POST', '/api/mailboxes/ida@localhost/imports', {
			token,
			json: {
				from: 'someone@example.org',
				message: '-----BEGIN PGP MESSAGE-----\n\nnot really\n-----END PGP MESSAGE-----'
			}
		});
		expect(plain.status).toBe(400);
		expect(plain.body.error.message).toContain('accepts only ciphertext');
	});
});
