// Property-based fuzzing of every relay endpoint over real HTTP (loopback): random methods,
// path parameters, queries, credentials, content types and bodies, many of them mutations of a
// valid request. The relay must never answer 5xx, never log a problem, keep serving, and leave
// its stored state exactly as it was whenever it refuses a request.
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wkdHash } from '../../src/lib/server/wkd';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { snapshotter, type Snapshotter } from '../helpers/snapshot';
import { api, encryptFor, makeKey, register, signChallenge, signIn } from './support';

/** Runs per endpoint: enough to reach every branch of the validators in a few seconds. */
const RUNS = 150;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Flips, drops or inserts characters, to reach the parsers with almost-valid input. */
const mutation = (text: string) =>
	fc
		.array(
			fc.tuple(
				fc.nat({ max: Math.max(0, text.length - 1) }),
				fc.constantFrom('drop', 'insert', 'replace'),
				fc.constantFrom('A', '=', '\n', '-', '/', '+', '"', '\\', '\u0000', '\u202e', 'é')
			),
			{ minLength: 1, maxLength: 8 }
		)
		.map((edits) => {
			const chars = [...text];
			for (const [at, op, char] of edits) {
				if (op === 'drop') chars.splice(at, 1);
				else if (op === 'insert') chars.splice(at, 0, char);
				else chars[at] = char;
			}
			return chars.join('');
		});

const oddText = fc.oneof(
	fc.string(),
	fc.string({ unit: 'grapheme' }),
	fc.constantFrom(
		'',
		'..',
		'%00',
		'%2F',
		'%E0%A4%A',
		'a'.repeat(300),
		'-----BEGIN PGP MESSAGE-----'
	)
);

/** A body: a mutation of the valid one, the valid one with odd field values, or anything. */
function bodyFor(valid: Record<string, unknown> | undefined): fc.Arbitrary<string | undefined> {
	const anything = fc.oneof(
		fc.constant(undefined),
		fc.json(),
		fc.string(),
		fc.jsonValue().map((value) => JSON.stringify(value))
	);
	if (!valid) return anything;
	const text = JSON.stringify(valid);
	const oddFields = fc
		.dictionary(fc.constantFrom(...Object.keys(valid), '__proto__', 'extra'), fc.jsonValue())
		.map((fields) => JSON.stringify({ ...valid, ...fields }));
	return fc.oneof(mutation(text), oddFields, anything);
}

describe.each(backends())('fuzzing every relay endpoint (%s)', (backend) => {
	let relay: RunningRelay;
	let snapshots: Snapshotter;
	const tokens: Record<string, string> = {};
	/** A valid value per path parameter and a valid body per endpoint, the seeds of mutation. */
	const params: Record<string, string> = {};
	const bodies: Record<string, Record<string, unknown>> = {};

	beforeAll(async () => {
		// Generous limits: this suite is about malformed input, and 429s would hide it.
		const lots = { burst: 100_000, perMinute: 100_000 };
		relay = await startRelay({
			backend,
			rateLimits: { login: lots, registration: lots, sending: lots, lookup: lots, recovery: lots }
		});
		snapshots = snapshotter(relay);
		const alice = await register(relay, 'alice@localhost');
		const bob = await register(relay, 'bob@localhost');
		tokens.alice = await signIn(relay, 'alice@localhost', alice);
		tokens.bob = await signIn(relay, 'bob@localhost', bob);
		const message = await encryptFor([alice, bob], 'fuzz');
		const sent = await api(relay, 'POST', '/api/messages', {
			token: tokens.bob,
			json: { to: ['alice@localhost'], message }
		});
		const sessions = await api(relay, 'GET', '/api/auth/sessions', { token: tokens.alice });
		Object.assign(params, {
			address: 'alice@localhost',
			id: sent.body.id,
			hash: wkdHash('alice'),
			domain: 'localhost'
		});
		params['sessions/:id'] = sessions.body.sessions[0].id;
		params['transfers/:id'] = randomBytes(32).toString('base64url');
		const lookup = randomBytes(32).toString('base64url');
		await api(relay, 'PUT', '/api/recovery', {
			token: tokens.alice,
			json: { lookup, backup: message }
		});
		await api(relay, 'PUT', `/api/transfers/${params['transfers/:id']}`, {
			token: tokens.alice,
			json: { backup: message }
		});
		const carol = await makeKey('carol@localhost');
		const { body: issued } = await api(relay, 'POST', '/api/auth/challenge', {
			json: { address: 'alice@localhost' }
		});
		bodies['POST /api/accounts'] = { address: 'carol@localhost', publicKey: carol.publicKey };
		bodies['POST /api/auth/challenge'] = { address: 'alice@localhost' };
		bodies['POST /api/auth/sessions'] = {
			address: 'alice@localhost',
			challenge: issued.challenge,
			signature: await signChallenge(alice, issued.challenge)
		};
		bodies['POST /api/messages'] = { to: ['alice@localhost'], message };
		bodies['PUT /api/pow/allow-list'] = { hashes: [createHash('sha256').digest('hex')] };
		bodies['PUT /api/recovery'] = { lookup, backup: message };
		bodies['POST /api/recovery/open'] = { address: 'alice@localhost', lookup };
		bodies['PUT /api/transfers/:id'] = { backup: message };
		bodies['POST /api/mailboxes/:address/state'] = { entry: message, compactThrough: 1 };
		bodies['PUT /api/lists/:address'] = { members: ['bob@localhost'] };
		bodies['PUT /api/lists/:address/membership'] = { status: 'accepted' };
	});
	afterAll(async () => {
		await snapshots.close();
		await relay.stop();
	});

	it('covers every endpoint with random requests: no 5xx, no change of state when refused', async () => {
		for (const endpoint of relay.endpoints) {
			const [method, pattern] = endpoint.split(' ') as [string, string];
			const segments = pattern.split('/');
			const request = fc.record({
				method: fc.oneof(
					{ arbitrary: fc.constant(method), weight: 4 },
					fc.constantFrom(...METHODS)
				),
				segments: fc.tuple(
					...segments.map((segment) => {
						if (!segment.startsWith(':')) return fc.constant(segment);
						const valid =
							(pattern.includes('sessions') && params['sessions/:id']) ||
							(pattern.includes('transfers') && params['transfers/:id']) ||
							params[segment.slice(1)]!;
						return fc.oneof(
							{ arbitrary: fc.constant(valid), weight: 3 },
							mutation(valid),
							oddText.map(encodeURIComponent),
							oddText
						);
					})
				),
				query: fc.dictionary(fc.constantFrom('folder', 'after', 'l', 'x'), oddText, { maxKeys: 2 }),
				auth: fc.constantFrom('none', 'alice', 'bob', 'Bearer nonsense', `Basic ${btoa('a:b')}`),
				contentType: fc.constantFrom(
					'application/json',
					'application/json; charset=utf-8',
					'text/plain',
					'multipart/form-data; boundary=x',
					undefined
				),
				body: bodyFor(bodies[endpoint])
			});

			await fc.assert(
				fc.asyncProperty(request, async (input) => {
					const headers: Record<string, string> = {};
					if (input.contentType) headers['content-type'] = input.contentType;
					if (input.auth === 'alice' || input.auth === 'bob') {
						headers.authorization = `Bearer ${tokens[input.auth]}`;
					} else if (input.auth !== 'none') headers.authorization = input.auth;
					const hasBody = input.method !== 'GET' && input.method !== 'HEAD';
					const path = input.segments.join('/').replace(/\?|#/g, encodeURIComponent);
					const query = new URLSearchParams(input.query).toString();
					let url: string;
					try {
						url = new URL(`${relay.url}${path}${query ? `?${query}` : ''}`).href;
					} catch {
						return; // not a URL any client could send
					}
					if (!url.startsWith(relay.url)) return;

					const before = await snapshots.take();
					const response = await fetch(url, {
						method: input.method,
						headers,
						body: hasBody ? input.body : undefined
					});
					const text = await response.text();
					expect(response.status, `${input.method} ${url}`).toBeLessThan(500);
					if (response.status >= 400) {
						expect(await snapshots.take(), `${input.method} ${url} changed state`).toBe(before);
						if (input.method !== 'HEAD') {
							expect(JSON.parse(text).error.message).toMatch(/\w+ \w+/);
						}
					}
				}),
				{ numRuns: RUNS }
			);
		}
		expect((await api(relay, 'GET', '/api/info')).status).toBe(200);
		expect(relay.problems()).toEqual([]);
	}, 300_000);
});
