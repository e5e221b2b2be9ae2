// Every endpoint × every kind of caller: no one, another account, the owner. Each cell says what
// the relay must answer; the test fails if the relay gains an endpoint the matrix does not cover.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn, type TestKey } from './support';
import { wkdHash } from '../../src/lib/server/wkd';

type Caller = 'anonymous' | 'other' | 'owner';

interface Case {
	endpoint: string;
	/** Builds the request; `owner` is the account the resource belongs to. */
	request: (fixture: Fixture) => { path: string; json?: unknown };
	expect: Record<Caller, number>;
}

interface Fixture {
	messageId: string;
	/** A device transfer the owner opened for this cell. */
	transferId: string;
	/** A session of the owner that the test may revoke. */
	spareSessionId: string;
	/** A message encrypted to the owner, as an import carries it. */
	ciphertext: string;
	/** The owner's public key, which only the owner may publish again. */
	ownerPublicKey: string;
	/** An entry for the owner's state log, encrypted to the owner. */
	stateEntry: string;
}

const OWNER = 'olive@localhost';
const OTHER = 'otto@localhost';
/** Uploads a block and sends it to the owner, so only the owner and uploader may read it. */
const UPLOADER = 'uma@localhost';
/** A mailing list the owner keeps. */
const LIST = 'olives-club@localhost';
const BLOCK = Buffer.from('an attachment block for olive');
const LOOKUP = randomBytes(32).toString('base64url');
let blockHash = '';

const PUBLIC = { anonymous: 200, other: 200, owner: 200 };

const CASES: Case[] = [
	{ endpoint: 'GET /api/info', request: () => ({ path: '/api/info' }), expect: PUBLIC },
	{
		endpoint: 'GET /.well-known/letterlock/relay',
		request: () => ({ path: '/.well-known/letterlock/relay' }),
		expect: PUBLIC
	},
	{
		endpoint: 'GET /api/keys/:address',
		request: () => ({ path: `/api/keys/${OWNER}` }),
		expect: PUBLIC
	},
	{
		endpoint: 'POST /api/keys/lookup',
		request: () => ({ path: '/api/keys/lookup', json: { addresses: [OWNER] } }),
		expect: PUBLIC
	},
	{
		endpoint: 'POST /api/auth/challenge',
		request: () => ({ path: '/api/auth/challenge', json: { address: OWNER } }),
		expect: PUBLIC
	},
	{
		endpoint: 'PUT /api/keys/:address',
		request: ({ ownerPublicKey }) => ({
			path: `/api/keys/${OWNER}`,
			json: { publicKey: ownerPublicKey }
		}),
		expect: { anonymous: 401, other: 403, owner: 200 }
	},
	{
		endpoint: 'GET /api/mailboxes/:address/messages',
		request: () => ({ path: `/api/mailboxes/${OWNER}/messages` }),
		expect: { anonymous: 401, other: 403, owner: 200 }
	},
	{
		endpoint: 'GET /api/mailboxes/:address/messages/:id',
		request: ({ messageId }) => ({ path: `/api/mailboxes/${OWNER}/messages/${messageId}` }),
		expect: { anonymous: 401, other: 403, owner: 200 }
	},
	{
		endpoint: 'POST /api/mailboxes/:address/imports',
		request: ({ ciphertext }) => ({
			path: `/api/mailboxes/${OWNER}/imports`,
			json: { from: 'someone@example.org', message: ciphertext }
		}),
		expect: { anonymous: 401, other: 403, owner: 201 }
	},
	{
		endpoint: 'DELETE /api/mailboxes/:address/messages/:id',
		request: ({ messageId }) => ({ path: `/api/mailboxes/${OWNER}/messages/${messageId}` }),
		expect: { anonymous: 401, other: 403, owner: 204 }
	},
	{
		endpoint: 'GET /api/mailboxes/:address/state',
		request: () => ({ path: `/api/mailboxes/${OWNER}/state` }),
		expect: { anonymous: 401, other: 403, owner: 200 }
	},
	{
		endpoint: 'POST /api/mailboxes/:address/state',
		request: ({ stateEntry }) => ({
			path: `/api/mailboxes/${OWNER}/state`,
			json: { entry: stateEntry }
		}),
		expect: { anonymous: 401, other: 403, owner: 201 }
	},
	{
		endpoint: 'POST /api/mailboxes/:address/event-tickets',
		request: () => ({ path: `/api/mailboxes/${OWNER}/event-tickets` }),
		expect: { anonymous: 401, other: 403, owner: 201 }
	},
	{
		endpoint: 'GET /api/blocks/:hash',
		request: () => ({ path: `/api/blocks/${blockHash}` }),
		expect: { anonymous: 401, other: 404, owner: 200 }
	},
	{
		endpoint: 'GET /api/auth/sessions',
		request: () => ({ path: '/api/auth/sessions' }),
		expect: { anonymous: 401, other: 200, owner: 200 }
	},
	{
		// Another account cannot even learn that the session exists.
		endpoint: 'DELETE /api/auth/sessions/:id',
		request: ({ spareSessionId }) => ({ path: `/api/auth/sessions/${spareSessionId}` }),
		expect: { anonymous: 401, other: 404, owner: 204 }
	},
	{
		// Any account may ask what it must do to write to the owner; only about itself.
		endpoint: 'GET /api/pow/:address',
		request: () => ({ path: `/api/pow/${OWNER}` }),
		expect: { anonymous: 401, other: 200, owner: 200 }
	},
	{
		// Knowing the lookup secret is the credential; the caller's account plays no part.
		endpoint: 'POST /api/recovery/open',
		request: () => ({ path: '/api/recovery/open', json: { address: OWNER, lookup: LOOKUP } }),
		expect: PUBLIC
	},
	{
		endpoint: 'GET /api/transfers/:id',
		request: ({ transferId }) => ({ path: `/api/transfers/${transferId}` }),
		expect: { anonymous: 401, other: 404, owner: 200 }
	},
	{
		endpoint: 'DELETE /api/transfers/:id',
		request: ({ transferId }) => ({ path: `/api/transfers/${transferId}` }),
		expect: { anonymous: 401, other: 404, owner: 204 }
	},
	{
		// The transfer id is the ticket, for a device that has no session yet.
		endpoint: 'POST /api/transfers/:id/claim',
		request: ({ transferId }) => ({ path: `/api/transfers/${transferId}/claim` }),
		expect: PUBLIC
	},
	{
		endpoint: 'GET /.well-known/openpgpkey/policy',
		request: () => ({ path: '/.well-known/openpgpkey/policy' }),
		expect: PUBLIC
	},
	{
		endpoint: 'GET /.well-known/openpgpkey/hu/:hash',
		request: () => ({ path: `/.well-known/openpgpkey/hu/${wkdHash('olive')}` }),
		expect: PUBLIC
	},
	{
		endpoint: 'GET /.well-known/openpgpkey/:domain/policy',
		request: () => ({ path: '/.well-known/openpgpkey/localhost/policy' }),
		expect: PUBLIC
	},
	{
		endpoint: 'GET /.well-known/openpgpkey/:domain/hu/:hash',
		request: () => ({ path: `/.well-known/openpgpkey/localhost/hu/${wkdHash('olive')}` }),
		expect: PUBLIC
	},
	// The list cases come last, in this order: the owner's DELETE removes the list.
	{
		endpoint: 'PUT /api/lists/:address',
		request: () => ({ path: `/api/lists/${LIST}`, json: { members: [OWNER] } }),
		expect: { anonymous: 401, other: 403, owner: 200 }
	},
	// Only a member answers for themself: the list names the owner, not the other account.
	{
		endpoint: 'PUT /api/lists/:address/membership',
		request: () => ({ path: `/api/lists/${LIST}/membership`, json: { status: 'accepted' } }),
		expect: { anonymous: 401, other: 404, owner: 200 }
	},
	{
		endpoint: 'GET /api/lists/:address',
		request: () => ({ path: `/api/lists/${LIST}` }),
		expect: { anonymous: 401, other: 200, owner: 200 }
	},
	{
		endpoint: 'DELETE /api/lists/:address',
		request: () => ({ path: `/api/lists/${LIST}` }),
		expect: { anonymous: 401, other: 403, owner: 204 }
	}
];

/** Endpoints whose caller is the resource itself (no one else's resource is named), checked for
 * "anonymous is refused" and "a signed-in caller acts only as themself" in their own tests. */
const SELF_ONLY = [
	'POST /api/accounts',
	'POST /api/auth/sessions',
	'POST /api/messages',
	'PUT /api/blocks/:hash',
	'PUT /api/pow/allow-list',
	'GET /api/memberships',
	'DELETE /api/auth/sessions/current',
	'PUT /api/recovery',
	'GET /api/recovery',
	'DELETE /api/recovery',
	'PUT /api/transfers/:id',
	// Authenticated by the sending relay's signature, not a session: tests/relay/federation.test.ts.
	'POST /api/federation/deliveries'
];

/** Opened with a one-time ticket instead of a token; tests/relay/events.test.ts refuses used,
 * expired and other mailboxes' tickets. */
const TICKET_ONLY = ['GET /api/mailboxes/:address/events'];

describe.each(backends())('authorisation matrix (%s)', (backend) => {
	let relay: RunningRelay;
	const keys: Record<string, TestKey> = {};
	const tokens: Record<Caller, string | undefined> = {
		anonymous: undefined,
		other: undefined,
		owner: undefined
	};

	beforeAll(async () => {
		// Each cell signs the owner in afresh; limits are tested on their own.
		const lots = { burst: 1000, perMinute: 1000 };
		relay = await startRelay({
			backend,
			rateLimits: { login: lots, recovery: lots, sending: lots }
		});
		keys.owner = await register(relay, OWNER);
		keys.other = await register(relay, OTHER);
		tokens.owner = await signIn(relay, OWNER, keys.owner);
		tokens.other = await signIn(relay, OTHER, keys.other);
		const list = await api(relay, 'PUT', `/api/lists/${LIST}`, {
			token: tokens.owner,
			json: { members: [OWNER] }
		});
		expect(list.status).toBe(201);
		const uploader = await register(relay, UPLOADER);
		const token = await signIn(relay, UPLOADER, uploader);
		blockHash = createHash('sha256').update(BLOCK).digest('hex');
		const stored = await fetch(`${relay.url}/api/blocks/${blockHash}`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${token}` },
			body: new Uint8Array(BLOCK)
		});
		expect(stored.status).toBe(201);
		const sent = await api(relay, 'POST', '/api/messages', {
			token,
			json: {
				to: [OWNER],
				message: await encryptFor([keys.owner], 'attached'),
				blocks: [blockHash]
			}
		});
		expect(sent.status).toBe(201);
		const recovery = await api(relay, 'PUT', '/api/recovery', {
			token: tokens.owner,
			json: { lookup: LOOKUP, backup: await encryptFor([keys.owner], 'sealed backup') }
		});
		expect(recovery.status).toBe(201);
	});
	afterAll(() => relay.stop());

	it('covers every endpoint the relay serves', () => {
		const covered = [...CASES.map((c) => c.endpoint), ...SELF_ONLY, ...TICKET_ONLY];
		expect([...relay.endpoints].sort()).toEqual([...covered].sort());
	});

	for (const testCase of CASES) {
		for (const caller of ['anonymous', 'other', 'owner'] as const) {
			it(`${testCase.endpoint} as ${caller} → ${testCase.expect[caller]}`, async () => {
				const sent = await api(relay, 'POST', '/api/messages', {
					token: tokens.other,
					json: { to: [OWNER], message: await encryptFor([keys.owner!], 'for olive') }
				});
				expect(sent.status).toBe(201);
				// A fresh owner session per cell, so revoking it leaves the owner's token working.
				await signIn(relay, OWNER, keys.owner!);
				const own = await api(relay, 'GET', '/api/auth/sessions', { token: tokens.owner });
				const spare = own.body.sessions.find((s: { current: boolean }) => !s.current);
				const transferId = randomBytes(32).toString('base64url');
				const transfer = await api(relay, 'PUT', `/api/transfers/${transferId}`, {
					token: tokens.owner,
					json: { backup: await encryptFor([keys.owner!], 'sealed backup') }
				});
				expect(transfer.status).toBe(201);
				const { path, json } = testCase.request({
					messageId: sent.body.id,
					spareSessionId: spare.id,
					ciphertext: await encryptFor([keys.owner!], 'an imported mail'),
					transferId,
					ownerPublicKey: keys.owner!.publicKey,
					stateEntry: await encryptFor([keys.owner!], '{"v":1,"changes":[]}')
				});
				const method = testCase.endpoint.split(' ')[0]!;
				const result = await api(relay, method, path, { json, token: tokens[caller] });
				expect(result.status, JSON.stringify(result.body)).toBe(testCase.expect[caller]);
				if (result.status >= 400) expect(result.body.error.message).toMatch(/\w+ \w+/);
			});
		}
	}

	it('a signed-in caller sends only as themself and cannot end another’s session', async () => {
		expect((await api(relay, 'POST', '/api/messages', { json: {} })).status).toBe(401);
		expect((await api(relay, 'DELETE', '/api/auth/sessions/current')).status).toBe(401);
		const sent = await api(relay, 'POST', '/api/messages', {
			token: tokens.other,
			json: { to: [OWNER], message: await encryptFor([keys.owner!], 'from otto') }
		});
		const listed = await api(relay, 'GET', `/api/mailboxes/${OWNER}/messages`, {
			token: tokens.owner
		});
		const entry = listed.body.messages.find((m: { id: string }) => m.id === sent.body.id);
		expect(entry.from).toBe(OTHER);
		// Otto's own sessions list never shows Olive's.
		const ottos = await api(relay, 'GET', '/api/auth/sessions', { token: tokens.other });
		const olives = await api(relay, 'GET', '/api/auth/sessions', { token: tokens.owner });
		const ottoIds = ottos.body.sessions.map((s: { id: string }) => s.id);
		for (const session of olives.body.sessions) expect(ottoIds).not.toContain(session.id);
	});
});
