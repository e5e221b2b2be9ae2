// A letter whose copy could not be fetched because the relay was away or overloaded is not
// broken: the row that says "cannot be opened" opens by itself once a listing reaches the relay
// again, without a reload. The relay's failure is played by the hostile relay double.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailbox } from '../../src/lib/client/mailbox.svelte';
import { Mailer } from '../../src/lib/client/mailer';
import { startHostileRelay } from '../helpers/hostile-relay';
import { letterWriter, signedInAccount } from '../helpers/letter-writer';
import { backends } from '../helpers/relay-server';

const BOB = 'bob@localhost';

describe.each(backends())('a mailbox after the relay comes back (%s)', (backend) => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let mailbox: Mailbox;

	beforeAll(async () => {
		setup = await startHostileRelay({ backend });
		const { engine, identity, client } = await signedInAccount(setup.hostile.url, BOB);
		mailbox = new Mailbox(client, new Mailer(client, engine, identity), BOB, (call) => call());
	}, 60_000);
	afterAll(() => setup?.stop());

	it('opens a letter the relay failed to hand over once a listing gets through', async () => {
		const alice = await letterWriter(setup.relay.url, 'alice@localhost');
		const id = await alice.write(BOB, { to: [BOB], subject: 'While you were away' });
		setup.hostile.lie({
			method: 'GET',
			path: `/api/mailboxes/${BOB}/messages/${id}`,
			times: 1,
			answer: () => ({ status: 503, text: 'Service Unavailable' })
		});

		await mailbox.refresh('inbox');
		const entry = mailbox.find(id)!;
		expect(entry.view).toBeNull();
		expect(entry.error).toMatch(/HTTP 503/);

		await mailbox.refresh('inbox');
		expect(mailbox.find(id)?.error).toBeNull();
		expect(mailbox.find(id)?.view?.subject).toBe('While you were away');
	});

	it('leaves a letter that is itself broken as it is', async () => {
		const mallory = await letterWriter(setup.relay.url, 'mallory@localhost');
		const id = await mallory.write(BOB, { to: [BOB], subject: 'Fine' });
		setup.hostile.lie({
			method: 'GET',
			path: `/api/mailboxes/${BOB}/messages/${id}`,
			honest: true,
			answer: (_request, honest) => ({
				json: { ...(honest!.json as object), message: 'not a letter' }
			})
		});
		await mailbox.refresh('inbox');
		const first = mailbox.find(id)?.error;
		expect(first).toBeTruthy();
		const fetches = () =>
			setup.hostile.requests.filter((request) => request.path.endsWith(`/messages/${id}`)).length;
		const before = fetches();
		await mailbox.refresh('inbox');
		expect(fetches()).toBe(before);
		expect(mailbox.find(id)?.error).toBe(first);
	});
});
