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

	it('files a letter once per Idempotency-Key, whatever its ciphertext, for its owner only', async () => {
		const letterKey = 'a'.repeat(64);
		const upload = async (owner: string, ownerToken: string, ownerKey: TestKey) =>
			api(relay, 'POST', `/api/mailboxes/${owner}/imports`, {
				token: ownerToken,
				headers: { 'idempotency-key': letterKey },
				// Encrypted anew on each try, as the CLI does with plain mail.
				json: { from: 'old@example.org', message: await encryptFor([ownerKey], 'Same letter') }
			});
		const first = await upload('ida@localhost', token, key);
		expect(first.status).toBe(201);
		const again = await upload('ida@localhost', token, key);
		expect(again.status).toBe(200);
		expect(again.body).toEqual({ id: first.body.id, replayed: true });
		const inbox = await api(relay, 'GET', '/api/mailboxes/ida@localhost/messages?folder=inbox', {
			token
		});
		expect(inbox.body.messages.filter((m: { id: string }) => m.id === first.body.id)).toHaveLength(
			1
		);

		// Someone else's letter with the same key is their own letter, not Ida's.
		const otherKey = await register(relay, 'ivo@localhost');
		const other = await upload(
			'ivo@localhost',
			await signIn(relay, 'ivo@localhost', otherKey),
			otherKey
		);
		expect(other.status).toBe(201);
		expect(other.body.id).not.toBe(first.body.id);

		const malformed = await api(relay, 'POST', '/api/mailboxes/ida@localhost/imports', {
			token,
			headers: { 'idempotency-key': 'two words' },
			json: { from: 'old@example.org', message: await encryptFor([key], 'x') }
		});
		expect(malformed.status).toBe(400);
	});
});
