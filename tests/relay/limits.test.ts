// Rate limits (per address, account and network, answered 429 with Retry-After) and per-route
// body size limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/lib/protocol';
import { parseRateLimits } from '../../src/lib/server/config';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import {
	api,
	encryptFor,
	makeKey,
	register,
	signIn,
	testClock,
	type ApiResult,
	type TestKey
} from './support';

const TIGHT = { burst: 2, perMinute: 1 };
const HOUR = 60 * 60 * 1000;

describe.each(backends())('rate and size limits (%s)', (backend) => {
	let relay: RunningRelay;
	const clock = testClock();
	let key: TestKey;
	let token: string;

	beforeAll(async () => {
		relay = await startRelay({
			backend,
			now: clock.now,
			rateLimits: {
				login: { burst: 4, perMinute: 1 },
				sending: TIGHT,
				imports: TIGHT,
				lookup: TIGHT,
				registration: TIGHT,
				stateLog: TIGHT
			}
		});
		key = await register(relay, 'rita@localhost');
		token = await signIn(relay, 'rita@localhost', key);
	});
	afterAll(() => relay.stop());

	function expectLimited(result: ApiResult) {
		expect(result.status).toBe(429);
		expect(result.body.error.kind).toBe('rate-limited');
		expect(result.body.error.message).toMatch(/^Too many .* try again in \d+ seconds?\.$/);
		const retryAfter = Number(result.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		return retryAfter;
	}

	it('limits login attempts per address, and the wait it names is enough', async () => {
		// Sign-in above used two of four tokens; one more challenge and one more login attempt.
		const challenge = () =>
			api(relay, 'POST', '/api/auth/challenge', { json: { address: 'rita@localhost' } });
		expect((await challenge()).status).toBe(200);
		expect((await challenge()).status).toBe(200);
		const retryAfter = expectLimited(await challenge());
		// Another address is not affected.
		await register(relay, 'sam@localhost');
		expect(
			(await api(relay, 'POST', '/api/auth/challenge', { json: { address: 'sam@localhost' } }))
				.status
		).toBe(200);
		clock.advance(retryAfter * 1000);
		expect((await challenge()).status).toBe(200);
	});

	it('limits registrations per network', async () => {
		clock.advance(HOUR);
		await register(relay, 'tom@localhost');
		await register(relay, 'tim@localhost');
		const key = await makeKey('ted@localhost');
		const result = await api(relay, 'POST', '/api/accounts', {
			json: { address: 'ted@localhost', publicKey: key.publicKey }
		});
		expectLimited(result);
		clock.advance(HOUR);
		expect((await api(relay, 'GET', '/api/keys/ted@localhost')).status).toBe(404);
	});

	it('limits sending per account', async () => {
		clock.advance(HOUR);
		const message = await encryptFor([key], 'hello');
		const send = () =>
			api(relay, 'POST', '/api/messages', { token, json: { to: ['rita@localhost'], message } });
		expect((await send()).status).toBe(201);
		expect((await send()).status).toBe(201);
		expectLimited(await send());
	});

	it('limits imports per account, in a bucket of their own', async () => {
		clock.advance(HOUR);
		const message = await encryptFor([key], 'an old letter');
		const send = () =>
			api(relay, 'POST', '/api/messages', { token, json: { to: ['rita@localhost'], message } });
		expect((await send()).status).toBe(201);
		expect((await send()).status).toBe(201);
		expectLimited(await send());
		// Sending used up; importing into one's own inbox is counted apart.
		const importLetter = () =>
			api(relay, 'POST', '/api/mailboxes/rita@localhost/imports', {
				token,
				json: { from: 'old@example.org', message }
			});
		expect((await importLetter()).status).toBe(201);
		expect((await importLetter()).status).toBe(201);
		expectLimited(await importLetter());
	});

	it('limits changes to folders and flags per account', async () => {
		clock.advance(HOUR);
		const entry = await encryptFor([key], 'folders and flags');
		const append = () =>
			api(relay, 'POST', '/api/mailboxes/rita@localhost/state', { token, json: { entry } });
		expect((await append()).status).toBe(201);
		expect((await append()).status).toBe(201);
		expectLimited(await append());
	});

	it('limits key lookups per network, on the JSON and WKD endpoints alike', async () => {
		clock.advance(HOUR);
		expect((await api(relay, 'GET', '/api/keys/tom@localhost')).status).toBe(200);
		expect((await api(relay, 'GET', '/api/keys/rita@localhost')).status).toBe(200);
		expectLimited(
			await api(relay, 'GET', '/.well-known/openpgpkey/hu/ybndrfg8ejkmcpqxot1uwisza345h769')
		);
	});

	it('refuses bodies above each route’s own limit before reading them all', async () => {
		const cases: [string, number][] = [
			['/api/auth/challenge', LIMITS.bodyBytes.challenge],
			['/api/auth/sessions', LIMITS.bodyBytes.login],
			['/api/accounts', LIMITS.bodyBytes.register]
		];
		for (const [path, limit] of cases) {
			clock.advance(HOUR);
			const result = await api(relay, 'POST', path, {
				raw: JSON.stringify({ address: 'rita@localhost', padding: 'x'.repeat(limit) })
			});
			expect(result.status, path).toBe(413);
			expect(result.body.error.message).toBe(
				`The request body is too large (at most ${limit} bytes).`
			);
		}
		// A small body on the same route is read and judged on its content.
		const small = await api(relay, 'POST', '/api/auth/challenge', {
			raw: JSON.stringify({ address: 'rita@localhost' })
		});
		expect(small.status).toBe(200);
	});
});

describe('LETTERLOCK_RATE_LIMITS', () => {
	it('reads kind:burst/perMinute pairs and refuses anything else with a sentence', () => {
		expect(parseRateLimits('registration:100/10, lookup:600/600')).toEqual({
			registration: { burst: 100, perMinute: 10 },
			lookup: { burst: 600, perMinute: 600 }
		});
		expect(parseRateLimits(undefined)).toEqual({});
		expect(() => parseRateLimits('logins:1/1')).toThrow(/kind:burst\/perMinute/);
		expect(() => parseRateLimits('login:1/0')).toThrow(/not like/);
	});
});
