// Attacks that try to exhaust the relay: deep JSON from anyone, before anything is checked, and
// (below) an account storing without end. Both backends, over real HTTP.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, makeKey, register, signIn, type ApiResult } from '../relay/support';

const HALF = 2.5 * 1024 * 1024;
/** Bodies just under the 5.5 MiB a delivery may have: one field holding ~5 MiB of `[[[…]]]`, and
 * for comparison one holding a ~5 MiB string. */
const deepBody = () => `{"id":"x","message":${'['.repeat(HALF)}${']'.repeat(HALF)}}`;
const flatBody = () => `{"id":"x","message":"${'A'.repeat(2 * HALF)}"}`;

/** Milliseconds `GET /api/info` takes to answer. */
async function infoTime(relay: RunningRelay): Promise<number> {
	const started = performance.now();
	expect((await api(relay, 'GET', '/api/info')).status).toBe(200);
	return performance.now() - started;
}

/** Sends `body` as four deliveries at once and asks for `/api/info` until they are answered. */
async function flood(relay: RunningRelay, body: string) {
	const started = performance.now();
	let settled = false;
	const attacks = Promise.all(
		Array.from({ length: 4 }, () =>
			api(relay, 'POST', '/api/federation/deliveries', {
				raw: body,
				headers: { 'letterlock-signature': `ed25519=${'A'.repeat(86)}` }
			})
		)
	).finally(() => {
		settled = true;
	});
	const info: number[] = [];
	while (!settled) info.push(await infoTime(relay));
	const answers = await attacks;
	return { answers, elapsed: performance.now() - started, slowestInfo: Math.max(...info) };
}

describe.each(backends())('deep JSON (%s)', (backend) => {
	let relay: RunningRelay;
	beforeAll(async () => {
		relay = await startRelay({
			backend,
			rateLimits: { deliveryNetwork: { burst: 10, perMinute: 1 } }
		});
	});
	afterAll(() => relay.stop());

	it('refuses four ~5 MiB deeply nested deliveries quickly, and the relay keeps answering', async () => {
		// The same amount of bytes, shallow: what reading them costs on this (busy) machine.
		const flat = await flood(relay, flatBody());
		expect(flat.answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
		const { answers, elapsed, slowestInfo } = await flood(relay, deepBody());
		// Generous bounds: refusing the deep bodies costs about what the flat ones do; parsing them
		// as JSON took 4 to 7 seconds and held `GET /api/info` up for up to 2.6 seconds.
		expect(elapsed).toBeLessThan(2 * flat.elapsed + 1000);
		expect(slowestInfo).toBeLessThan(2 * flat.slowestInfo + 600);
		for (const answer of answers) {
			expect(answer.status).toBe(400);
			expect(answer.body.error.message).toBe('The request body nests deeper than 16 levels.');
		}
	});

	it('refuses deep JSON on every endpoint, before looking at what it says', async () => {
		const nested = `{"address":${'['.repeat(17)}${']'.repeat(17)}}`;
		const answer = await api(relay, 'POST', '/api/auth/challenge', { raw: nested });
		expect(answer.status).toBe(400);
		expect(answer.body.error.message).toBe('The request body nests deeper than 16 levels.');
		const brackets = JSON.stringify({ address: '[[[[[[[[[[[[[[[[[[[[@localhost' });
		expect((await api(relay, 'POST', '/api/auth/challenge', { raw: brackets })).status).toBe(400);
		expect(
			(await api(relay, 'POST', '/api/auth/challenge', { raw: brackets })).body.error.message
		).not.toContain('nests');
	});

	it('limits deliveries per network before reading them', async () => {
		// The eight bodies above spent eight of this network's ten tries.
		const statuses: number[] = [];
		for (let index = 0; index < 3; index++) {
			const answer = await api(relay, 'POST', '/api/federation/deliveries', {
				raw: '{}',
				headers: { 'letterlock-signature': `ed25519=${'A'.repeat(86)}` }
			});
			statuses.push(answer.status);
		}
		expect(statuses).toEqual([400, 400, 429]);
	});
});

describe.each(backends())('the account quota (%s)', (backend) => {
	let relay: RunningRelay;
	let token: string;
	let bobToken: string;
	/** An encrypted state entry just under the 1 MiB an entry may have; also used as a letter. */
	let entry: string;
	let entryBytes: number;
	const STORED = 40;

	beforeAll(async () => {
		const key = await makeKey('ada@localhost');
		entry = await encryptFor([key], randomBytes(570_000).toString('base64'));
		entryBytes = Buffer.byteLength(entry);
		// Room for 40 entries: the 41st MiB is one too many.
		relay = await startRelay({ backend, accountQuotaBytes: STORED * entryBytes });
		const registered = await api(relay, 'POST', '/api/accounts', {
			json: { address: 'ada@localhost', publicKey: key.publicKey }
		});
		expect(registered.status).toBe(201);
		token = await signIn(relay, 'ada@localhost', key);
		bobToken = await signIn(relay, 'bob@localhost', await register(relay, 'bob@localhost'));
	});
	afterAll(() => relay.stop());

	const append = (compactThrough?: number) =>
		api(relay, 'POST', '/api/mailboxes/ada@localhost/state', {
			token,
			json: { entry, ...(compactThrough ? { compactThrough } : {}) }
		});
	const send = (from: string, message = entry) =>
		api(relay, 'POST', '/api/messages', { token: from, json: { to: ['ada@localhost'], message } });

	function expectFull(answer: ApiResult, sentence: RegExp) {
		expect(answer.status).toBe(413);
		expect(answer.body.error.kind).toBe('mailbox-full');
		expect(answer.body.error.message).toMatch(sentence);
	}
	const YOURS = /^Your mailbox is full: \d+\.\d MiB of \d+\.\d MiB used\. Delete mail/;

	it('takes 40 state entries of 1 MiB and refuses the 41st MiB, whatever it is', async () => {
		let seq = 0;
		for (let index = 0; index < STORED; index++) {
			const answer = await append();
			expect(answer.status).toBe(201);
			seq = answer.body.seq;
		}
		expectFull(await append(), YOURS);
		expectFull(await send(token), YOURS);
		expectFull(await send(bobToken), /^The mailbox of ada@localhost is full;/);
		const backup = { lookup: randomBytes(32).toString('base64url'), backup: entry };
		expectFull(await api(relay, 'PUT', '/api/recovery', { token, json: backup }), YOURS);
		const transfer = `/api/transfers/${randomBytes(32).toString('base64url')}`;
		expectFull(await api(relay, 'PUT', transfer, { token, json: { backup: entry } }), YOURS);
		// Bob's own mailbox was not touched by the refused letter.
		const bobSent = await api(relay, 'GET', '/api/mailboxes/bob@localhost/messages?folder=sent', {
			token: bobToken
		});
		expect(bobSent.body.messages).toEqual([]);

		// Compacting the log replaces the 40 entries with one: there is room again.
		expect((await append(seq)).status).toBe(201);
	});

	it('counts mail to oneself, and deleting a letter frees its room', async () => {
		// One entry is stored; 39 letters of the same size fill the rest.
		const ids: string[] = [];
		for (let index = 0; index < STORED - 1; index++) {
			const answer = await send(token);
			expect(answer.status).toBe(201);
			ids.push(answer.body.id);
		}
		expectFull(await send(token), YOURS);
		const deleted = await api(relay, 'DELETE', `/api/mailboxes/ada@localhost/messages/${ids[0]}`, {
			token
		});
		expect(deleted.status).toBe(204);
		expect((await send(bobToken)).status).toBe(201);
	});
});
