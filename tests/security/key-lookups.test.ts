// Key lookups as a big mailbox needs them (issue 15): each sender is asked about once a session,
// not once per letter; addresses needed together go in one request; "no key" is kept a minute; a
// relay that answers "too many lookups" slows reading down but never makes a letter unreadable;
// and a lying relay cannot slip keys for addresses nobody asked about into the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyLookups } from '../../src/lib/client/key-lookups';
import { Mailer } from '../../src/lib/client/mailer';
import { ContactBook, memoryContactStore, type ContactStore } from '../../src/lib/client/trust';
import type { CryptoEngine } from '../../src/lib/crypto/engine';
import { newKey } from '../helpers/forge-key';
import { naming, startHostileRelay, type SeenRequest } from '../helpers/hostile-relay';
import { letterWriter, signedInAccount, type LetterWriter } from '../helpers/letter-writer';
import { backends } from '../helpers/relay-server';
import type { RelayClient } from '../../src/lib/client/relay-client';

const READER = 'bob@localhost';
const LETTERS = 12;

/** The key lookups among `requests` that name `address` (single or in a batch). */
function lookupsOf(requests: SeenRequest[], address: string): SeenRequest[] {
	return naming(
		requests.filter((request) => request.path.startsWith('/api/keys/')),
		[address]
	);
}

function tooMany(retryAfter: number) {
	return () => ({
		status: 429,
		headers: { 'retry-after': String(retryAfter) },
		json: {
			error: {
				kind: 'rate-limited',
				message: `Too many key lookups from your network; try again in ${retryAfter} seconds.`
			}
		}
	});
}

describe.each(backends())('key lookups for a big mailbox (%s)', (backend) => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let reader: {
		engine: CryptoEngine;
		client: RelayClient;
		me: ConstructorParameters<typeof Mailer>[2];
	};
	let carol: LetterWriter;
	let eve: LetterWriter;
	const letters: string[] = [];

	/** Bob in a new session: Carol is a contact, pinned with a key she no longer signs with (she
	 * made a new one), so each of her letters needs the directory to check its signature. */
	async function session(): Promise<{ mailer: Mailer; store: ContactStore }> {
		const store = memoryContactStore();
		const old = await newKey(carol.address);
		await store.put({
			address: carol.address,
			fingerprint: old.fingerprint,
			publicKey: old.publicKey,
			verified: false,
			pinnedAt: new Date().toISOString(),
			verifiedAt: null
		});
		const mailer = new Mailer(
			reader.client,
			reader.engine,
			reader.me,
			undefined,
			new ContactBook(store)
		);
		return { mailer, store };
	}

	beforeAll(async () => {
		setup = await startHostileRelay({ backend });
		const account = await signedInAccount(setup.hostile.url, READER);
		reader = {
			engine: account.engine,
			client: account.client,
			me: {
				name: 'Bob',
				address: READER,
				fingerprint: account.identity.fingerprint,
				publicKey: account.identity.publicKey
			}
		};
		// They write through the honest relay, so only the reader's requests are recorded.
		carol = await letterWriter(setup.relay.url, 'carol@localhost');
		eve = await letterWriter(setup.relay.url, 'eve@localhost');
		for (let index = 0; index < LETTERS; index++) {
			letters.push(await carol.write(READER, { to: [READER], subject: `Letter ${index}` }));
		}
	}, 120_000);
	afterAll(() => setup?.stop());

	it('asks about a sender once a session, however many of their letters are opened', async () => {
		const { mailer } = await session();
		const mark = setup.hostile.requests.length;
		for (const [index, id] of letters.entries()) {
			const mail = await mailer.open({ id });
			expect(mail.subject).toBe(`Letter ${index}`);
			expect(mail.signature).toMatchObject({ state: 'valid', signer: carol.fingerprint });
			// The key is not the pinned one: a change Bob must see, on every letter.
			expect(mail.from.trust).toBe('changed');
		}
		expect(lookupsOf(setup.hostile.since(mark), carol.address)).toHaveLength(1);
	});

	it('waits out "too many lookups" and then checks every letter', async () => {
		const { mailer } = await session();
		setup.hostile.lie({
			method: 'GET',
			path: `/api/keys/${carol.address}`,
			answer: tooMany(1),
			times: 2
		});
		const mark = setup.hostile.requests.length;
		const opened = await Promise.all(letters.map((id) => mailer.open({ id })));
		for (const [index, mail] of opened.entries()) {
			expect(mail.subject).toBe(`Letter ${index}`);
			expect(mail.signature).toMatchObject({ state: 'valid', signer: carol.fingerprint });
		}
		// Two refusals and one answer for all twelve letters.
		expect(lookupsOf(setup.hostile.since(mark), carol.address)).toHaveLength(3);
	});

	it('opens every letter when the relay keeps refusing lookups, the signer not looked up', async () => {
		const { mailer } = await session();
		const withdraw = setup.hostile.lie({ path: /^\/api\/keys\//, answer: tooMany(3600) });
		try {
			const mark = setup.hostile.requests.length;
			for (const [index, id] of letters.entries()) {
				const mail = await mailer.open({ id });
				expect(mail.subject).toBe(`Letter ${index}`);
				expect(mail.body).toContain('Write back to');
				expect(mail.signature.state).toBe('unknown-key');
				expect(mail.signerNotLookedUp).toBe(true);
			}
			// The refusal is remembered for a while: not one more request per letter.
			expect(lookupsOf(setup.hostile.since(mark), carol.address)).toHaveLength(1);
		} finally {
			withdraw();
		}
	});

	it('tells a person who chose to look a sender up that the relay refuses, and still reads', async () => {
		const { mailer } = await session();
		const withdraw = setup.hostile.lie({ path: /^\/api\/keys\//, answer: tooMany(3600) });
		try {
			await expect(mailer.chooseLookup(eve.address)).rejects.toMatchObject({
				status: 429,
				// In the app's words, from the kind and Retry-After, not the relay's sentence.
				message:
					'The relay asks to slow down: too many requests in a short time. Try again in 3600 seconds.'
			});
			const mail = await mailer.open({ id: letters[0]! });
			expect(mail.subject).toBe('Letter 0');
		} finally {
			withdraw();
		}
	});

	it('asks about addresses needed together in one request, and keeps "no key" a minute', async () => {
		const { mailer } = await session();
		const mark = setup.hostile.requests.length;
		const shown = await Promise.all(
			[carol.address, eve.address, 'nobody@localhost'].map((address) => mailer.describe(address))
		);
		expect(shown.map((entry) => entry.fingerprint)).toEqual([
			carol.fingerprint,
			eve.fingerprint,
			null
		]);
		await mailer.describe('nobody@localhost');
		await mailer.describe(eve.address);
		const requests = setup.hostile.since(mark).filter((r) => r.path.startsWith('/api/keys'));
		expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'POST /api/keys/lookup'
		]);
	});

	it('forgets "no key" after a minute, keeps keys for the session', async () => {
		let now = Date.now();
		const lookups = new KeyLookups(reader.client, undefined, { now: () => now });
		const mark = setup.hostile.requests.length;
		expect(await lookups.get('nobody@localhost')).toBeNull();
		expect((await lookups.get(eve.address))?.keys[0]?.fingerprint).toBe(eve.fingerprint);
		now += 30_000;
		await lookups.get('nobody@localhost');
		expect(lookupsOf(setup.hostile.since(mark), 'nobody@localhost')).toHaveLength(1);
		now += 31_000;
		await lookups.get('nobody@localhost');
		await lookups.get(eve.address);
		expect(lookupsOf(setup.hostile.since(mark), 'nobody@localhost')).toHaveLength(2);
		expect(lookupsOf(setup.hostile.since(mark), eve.address)).toHaveLength(1);
	});

	it('ignores answers about addresses it did not ask, whatever the relay slips in', async () => {
		const mallory = await newKey('dave@localhost');
		const planted = {
			status: 'found',
			address: 'dave@localhost',
			keys: [
				{
					fingerprint: mallory.fingerprint,
					publicKey: mallory.publicKey,
					createdAt: new Date().toISOString()
				}
			],
			conflict: false
		};
		setup.hostile.lie({
			method: 'POST',
			path: '/api/keys/lookup',
			honest: true,
			answer: (_, honest) => ({
				json: { answers: [...(honest!.json as { answers: unknown[] }).answers, planted] }
			})
		});
		// A single lookup answered with another address's keys counts for nothing either.
		setup.hostile.lie({
			method: 'GET',
			path: '/api/keys/nobody@localhost',
			answer: () => ({ json: { ...planted, status: undefined } })
		});
		try {
			const lookups = new KeyLookups(reader.client);
			const [carolAnswer, eveAnswer] = await Promise.all([
				lookups.get(carol.address),
				lookups.get(eve.address)
			]);
			expect(carolAnswer?.keys[0]?.fingerprint).toBe(carol.fingerprint);
			expect(eveAnswer?.keys[0]?.fingerprint).toBe(eve.fingerprint);
			const mark = setup.hostile.requests.length;
			// Dave was never asked about: he is asked now, and has no key.
			expect(await lookups.get('dave@localhost')).toBeNull();
			expect(lookupsOf(setup.hostile.since(mark), 'dave@localhost')).toHaveLength(1);
			await expect(lookups.get('nobody@localhost')).rejects.toMatchObject({
				kind: 'remote-unavailable'
			});
		} finally {
			setup.hostile.reset();
		}
	});
});
