// Proof of work over real HTTP: a stranger's first letter needs a stamp bound to sender,
// recipient, day and message; a stamp works once; people who know the sender need none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowListHash, sha256Hex, utcDay } from '../../src/lib/protocol/stamp';
import { mintStamp } from '../../src/lib/client/stamp-mint';
import { parsePowBits } from '../../src/lib/server/config';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn, type TestKey } from './support';

const BITS = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(backends())('proof of work (%s)', (backend) => {
	let relay: RunningRelay;
	const keys: Record<string, TestKey> = {};
	const tokens: Record<string, string> = {};

	beforeAll(async () => {
		relay = await startRelay({ backend, powBits: BITS });
		for (const name of ['alice', 'bob', 'carol', 'dave']) {
			keys[name] = await register(relay, `${name}@localhost`);
			tokens[name] = await signIn(relay, `${name}@localhost`, keys[name]!);
		}
	});
	afterAll(() => relay.stop());

	const letter = (from: string, to: string) => encryptFor([keys[from]!, keys[to]!], 'hello');
	const stamp = async (from: string, to: string, message: string, bits = BITS, daysAgo = 0) =>
		mintStamp({
			bits,
			day: utcDay(new Date(Date.now() - daysAgo * DAY_MS)),
			sender: `${from}@localhost`,
			recipient: `${to}@localhost`,
			messageHash: await sha256Hex(message)
		});
	const send = (from: string, to: string, message: string, stamps?: Record<string, string>) =>
		api(relay, 'POST', '/api/messages', {
			json: { to: [`${to}@localhost`], message, ...(stamps ? { stamps } : {}) },
			token: tokens[from]
		});
	const bitsFor = async (from: string, to: string) =>
		(await api(relay, 'GET', `/api/pow/${to}@localhost`, { token: tokens[from] })).body.bits;
	const inbox = async (who: string) =>
		(await api(relay, 'GET', `/api/mailboxes/${who}@localhost/messages`, { token: tokens[who] }))
			.body.messages as { id: string }[];

	it('publishes the difficulty and tells a stranger what a recipient needs', async () => {
		expect((await api(relay, 'GET', '/api/info')).body.powBits).toBe(BITS);
		expect(await bitsFor('alice', 'bob')).toBe(BITS);
		expect(await bitsFor('alice', 'alice')).toBe(0);
		expect((await api(relay, 'GET', '/api/pow/bob@localhost')).status).toBe(401);
	});

	it('refuses a first letter without a stamp, with a sentence and a code', async () => {
		const refused = await send('alice', 'bob', await letter('alice', 'bob'));
		expect(refused.status).toBe(403);
		expect(refused.body.error.kind).toBe('stamp-required');
		expect(refused.body.error.message).toMatch(/bob@localhost does not know you yet/);
		expect(await inbox('bob')).toEqual([]);
	});

	it('accepts it with a stamp, once: the same stamp again is a replay', async () => {
		const message = await letter('alice', 'bob');
		const stamps = { 'bob@localhost': await stamp('alice', 'bob', message) };
		const sent = await send('alice', 'bob', message, stamps);
		expect(sent.status).toBe(201);
		expect((await inbox('bob')).map((entry) => entry.id)).toEqual([sent.body.id]);

		const replayed = await send('alice', 'bob', message, stamps);
		expect(replayed.status).toBe(403);
		expect(replayed.body.error.kind).toBe('stamp-reused');
		expect(await inbox('bob')).toHaveLength(1);
	});

	it('refuses a stamp made for another recipient or another message', async () => {
		const message = await letter('alice', 'carol');
		const forDave = await stamp('alice', 'dave', message);
		const otherMessage = await stamp('alice', 'carol', await letter('alice', 'carol'));
		for (const wrong of [forDave, otherMessage]) {
			const refused = await send('alice', 'carol', message, { 'carol@localhost': wrong });
			expect(refused.status).toBe(403);
			expect(refused.body.error.kind).toBe('stamp-mismatch');
		}
		expect(await inbox('carol')).toEqual([]);
	});

	it('refuses a stamp with too little work or from long ago', async () => {
		const message = await letter('dave', 'carol');
		const weak = await send('dave', 'carol', message, {
			'carol@localhost': await stamp('dave', 'carol', message, BITS - 4)
		});
		expect(weak.body.error.kind).toBe('stamp-too-weak');
		const old = await stamp('dave', 'carol', message, BITS, 2);
		const expired = await send('dave', 'carol', message, { 'carol@localhost': old });
		expect(expired.status).toBe(403);
		expect(expired.body.error.kind).toBe('stamp-expired');
		expect(await inbox('carol')).toEqual([]);
	});

	it('needs no stamp from someone the recipient has written to', async () => {
		expect(await bitsFor('bob', 'carol')).toBe(BITS);
		const message = await letter('carol', 'bob');
		const first = await send('carol', 'bob', message, {
			'bob@localhost': await stamp('carol', 'bob', message)
		});
		expect(first.status).toBe(201);
		expect(await bitsFor('bob', 'carol')).toBe(0);
		const reply = await send('bob', 'carol', await letter('bob', 'carol'));
		expect(reply.status).toBe(201);
		// Carol wrote to Bob, not the other way round until now: she still needed a stamp above.
		expect(await bitsFor('carol', 'bob')).toBe(0);
	});

	it('needs no stamp from a contact on the allow-list, and again one once removed', async () => {
		const owner = 'dave@localhost';
		const put = (hashes: string[]) =>
			api(relay, 'PUT', '/api/pow/allow-list', { json: { hashes }, token: tokens.dave });
		expect((await put([await allowListHash(owner, 'alice@localhost')])).status).toBe(204);
		expect(await bitsFor('alice', 'dave')).toBe(0);
		expect((await send('alice', 'dave', await letter('alice', 'dave'))).status).toBe(201);

		expect((await put([])).status).toBe(204);
		expect(await bitsFor('alice', 'dave')).toBe(BITS);
		expect((await put(['not a hash'])).status).toBe(400);
		const anonymous = await api(relay, 'PUT', '/api/pow/allow-list', { json: { hashes: [] } });
		expect(anonymous.status).toBe(401);
	});
});

describe('first-contact limit and LETTERLOCK_POW_BITS', () => {
	it('limits how many stamped letters to strangers one sender sends in a short time', async () => {
		const relay = await startRelay({
			backend: 'sqlite',
			powBits: 4,
			rateLimits: { firstContact: { burst: 1, perMinute: 1 } }
		});
		try {
			const [alice, bob, carol] = await Promise.all(
				['alice', 'bob', 'carol'].map((name) => register(relay, `${name}@localhost`))
			);
			const token = await signIn(relay, 'alice@localhost', alice!);
			const sendTo = async (name: string, key: TestKey) => {
				const message = await encryptFor([alice!, key], 'hello');
				const stamp = await mintStamp({
					bits: 4,
					day: utcDay(new Date()),
					sender: 'alice@localhost',
					recipient: `${name}@localhost`,
					messageHash: await sha256Hex(message)
				});
				return api(relay, 'POST', '/api/messages', {
					json: { to: [`${name}@localhost`], message, stamps: { [`${name}@localhost`]: stamp } },
					token
				});
			};
			expect((await sendTo('bob', bob!)).status).toBe(201);
			const limited = await sendTo('carol', carol!);
			expect(limited.status).toBe(429);
			expect(limited.body.error.message).toMatch(/people who do not know you yet/);
		} finally {
			await relay.stop();
		}
	});

	it('reads the difficulty, 18 by default, and refuses nonsense with a sentence', () => {
		expect(parsePowBits(undefined)).toBe(18);
		expect(parsePowBits('0')).toBe(0);
		expect(parsePowBits('12')).toBe(12);
		expect(() => parsePowBits('40')).toThrow(/whole number from 0 \(off\) to 32/);
		expect(() => parsePowBits('lots')).toThrow(/LETTERLOCK_POW_BITS/);
	});
});
