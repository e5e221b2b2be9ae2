// A mailbox opened again on the same device lists its letters from the sealed summary store:
// the relay is asked only for what is newer than the stored cursor, and no letter is fetched or
// decrypted again. A tampered store record is refused, and its letters are summarised again
// from the ciphertext on the device. The relay's view of it all is the hostile relay's log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedMessage } from '../../src/lib/client/local-db';
import { Mailbox } from '../../src/lib/client/mailbox.svelte';
import { Mailer } from '../../src/lib/client/mailer';
import type { SearchKeyRecord } from '../../src/lib/client/sealing-key';
import { SummaryStore, type SummaryRecord } from '../../src/lib/client/summary-store';
import { startHostileRelay } from '../helpers/hostile-relay';
import { letterWriter, signedInAccount } from '../helpers/letter-writer';
import { memoryTable } from '../helpers/memory-table';
import { backends } from '../helpers/relay-server';

const BOB = 'bob@localhost';

describe.each(backends())('a mailbox opened again on the same device (%s)', (backend) => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let account: Awaited<ReturnType<typeof signedInAccount>>;
	const device = {
		mail: memoryTable<CachedMessage>('key'),
		searchKeys: memoryTable<SearchKeyRecord>('address'),
		summaries: memoryTable<SummaryRecord>('key')
	};

	/** What unlocking does: a new Mailer and Mailbox over the same device tables. */
	async function unlock(): Promise<Mailbox> {
		const { engine, identity, client } = account;
		const summaries = await SummaryStore.open(device, engine, identity);
		const mailbox = new Mailbox(
			client,
			new Mailer(client, engine, identity),
			BOB,
			(call) => call(),
			device.mail,
			undefined,
			summaries
		);
		await mailbox.loadCached();
		return mailbox;
	}
	const fetchesOfLetters = (mark: number) =>
		setup.hostile
			.since(mark)
			.filter((request) => /\/messages\/[^/?]+$/.test(request.path.split('?')[0]!));

	beforeAll(async () => {
		setup = await startHostileRelay({ backend });
		account = await signedInAccount(setup.hostile.url, BOB);
	}, 60_000);
	afterAll(() => setup?.stop());

	it('lists what it knew without fetching it, and asks only for newer letters', async () => {
		const alice = await letterWriter(setup.relay.url, 'alice@localhost');
		for (const subject of ['First', 'Second', 'Third']) {
			await alice.write(BOB, { to: [BOB], subject });
		}
		const first = await unlock();
		await first.refresh('inbox');
		expect(first.entries.inbox.map((entry) => entry.view?.subject)).toEqual([
			'Third',
			'Second',
			'First'
		]);

		const later = await alice.write(BOB, { to: [BOB], subject: 'Fourth' });
		const mark = setup.hostile.requests.length;
		const again = await unlock();
		// Listed from the store before the relay is asked anything.
		expect(again.entries.inbox.map((entry) => entry.view?.subject)).toEqual([
			'Third',
			'Second',
			'First'
		]);
		expect(setup.hostile.since(mark)).toEqual([]);
		await again.refresh('inbox');
		expect(again.entries.inbox.map((entry) => entry.view?.subject)).toEqual([
			'Fourth',
			'Third',
			'Second',
			'First'
		]);
		const listings = setup.hostile.since(mark).filter((request) => request.path.includes('?'));
		expect(listings).toHaveLength(1);
		expect(listings[0]!.path).toMatch(/after=[1-9]/);
		expect(fetchesOfLetters(mark).map((request) => request.path)).toEqual([
			`/api/mailboxes/${encodeURIComponent(BOB)}/messages/${later}`
		]);
	});

	it('refuses a tampered record and summarises its letters again from the device', async () => {
		for (const [key, record] of device.summaries.rows) {
			if (!key.endsWith(' chunk 0')) continue;
			const sealed = new Uint8Array(record.sealed);
			sealed[20] = sealed[20]! ^ 0xff;
			device.summaries.rows.set(key, { ...record, sealed });
		}
		const mark = setup.hostile.requests.length;
		const mailbox = await unlock();
		// Listed from the ciphertext on the device, with nothing of the refused record in them.
		expect(mailbox.entries.inbox.map((entry) => entry.view)).toEqual([null, null, null, null]);
		await mailbox.refresh('inbox');
		await mailbox.settled();
		expect(mailbox.entries.inbox.map((entry) => entry.view?.subject)).toEqual([
			'Fourth',
			'Third',
			'Second',
			'First'
		]);
		// The ciphertext was still on the device: nothing is fetched from the relay again.
		expect(fetchesOfLetters(mark)).toEqual([]);
	});
});
