// Random and malformed bodies at every POST endpoint must be answered with a 4xx and a JSON
// error sentence, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, makeKey, register, signChallenge, signIn } from './support';

/** A small deterministic generator, so a failure can be reproduced from the printed seed. */
function random(seed: number) {
	let state = seed >>> 0 || 1;
	const next = () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 2 ** 32;
	};
	const int = (n: number) => Math.floor(next() * n);
	const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
	return { next, int, pick };
}

const ARMOR = [
	'-----BEGIN PGP PUBLIC KEY BLOCK-----',
	'-----BEGIN PGP MESSAGE-----',
	'-----BEGIN PGP SIGNATURE-----'
];

function value(rng: ReturnType<typeof random>, depth = 0): unknown {
	switch (rng.int(depth > 2 ? 6 : 9)) {
		case 0:
			return null;
		case 1:
			return rng.next() < 0.5;
		case 2:
			return rng.pick([0, -1, 1e308, 3.5, Number.MAX_SAFE_INTEGER]);
		case 3:
			return rng.pick([
				'',
				'alice@localhost',
				'nobody@localhost',
				'x@other.org',
				'@',
				'a'.repeat(300)
			]);
		case 4:
			return `${rng.pick(ARMOR)}\n\n${'QUJD'.repeat(rng.int(50))}\n=${'x'.repeat(rng.int(4))}\n-----END PGP`;
		case 5:
			return String.fromCharCode(...Array.from({ length: rng.int(40) }, () => rng.int(0xd7ff)));
		case 6:
			return Array.from({ length: rng.int(5) }, () => value(rng, depth + 1));
		default: {
			const keys = [
				'address',
				'publicKey',
				'challenge',
				'signature',
				'to',
				'message',
				'__proto__',
				'x'
			];
			return Object.fromEntries(
				Array.from({ length: rng.int(5) }, () => [rng.pick(keys), value(rng, depth + 1)])
			);
		}
	}
}

/** Flips, drops or inserts characters, to reach the OpenPGP parsers with almost-valid input. */
function mutate(rng: ReturnType<typeof random>, text: string): string {
	const chars = [...text];
	for (let n = rng.int(8) + 1; n > 0; n--) {
		const at = rng.int(chars.length);
		const op = rng.int(3);
		if (op === 0) chars.splice(at, 1);
		else if (op === 1) chars.splice(at, 0, rng.pick(['A', '=', '\n', '-', '/', '+']));
		else chars[at] = rng.pick(['Q', 'z', '0', '9', '\n']);
	}
	return chars.join('');
}

function body(rng: ReturnType<typeof random>, valid: Record<string, unknown>): string {
	if (rng.next() < 0.3) {
		const fields = Object.entries(valid).map(([k, v]) => [
			k,
			typeof v === 'string' && rng.next() < 0.7 ? mutate(rng, v) : v
		]);
		return JSON.stringify(Object.fromEntries(fields));
	}
	const text = JSON.stringify(value(rng)) ?? '';
	switch (rng.int(4)) {
		case 0:
			return text.slice(0, rng.int(text.length + 1));
		case 1:
			return text.replace(/[{}[\]":,]/, rng.pick(['', '{', '\\', '\u0000', '"']));
		default:
			return text;
	}
}

describe.each(backends())('fuzzing the POST endpoints (%s)', (backend) => {
	let relay: RunningRelay;
	let token: string;
	/** A valid body per endpoint, the starting point for mutations. */
	const valid: Record<string, Record<string, unknown>> = {};

	beforeAll(async () => {
		relay = await startRelay({ backend });
		const key = await register(relay, 'alice@localhost');
		token = await signIn(relay, 'alice@localhost', key);
		const bob = await makeKey('bob@localhost');
		const { body: issued } = await api(relay, 'POST', '/api/auth/challenge', {
			json: { address: 'alice@localhost' }
		});
		valid['/api/accounts'] = { address: 'bob@localhost', publicKey: bob.publicKey };
		valid['/api/auth/challenge'] = { address: 'alice@localhost' };
		valid['/api/auth/sessions'] = {
			address: 'alice@localhost',
			challenge: issued.challenge,
			signature: await signChallenge(key, issued.challenge)
		};
		valid['/api/messages'] = { to: ['alice@localhost'], message: await encryptFor([key], 'fuzz') };
	});
	afterAll(() => relay.stop());

	it.each(['/api/accounts', '/api/auth/challenge', '/api/auth/sessions', '/api/messages'])(
		'never answers %s with a 5xx',
		async (path) => {
			const seed = Date.now();
			const rng = random(seed);
			for (let i = 0; i < 200; i++) {
				const payload = body(rng, valid[path]!);
				const response = await fetch(relay.url + path, {
					method: 'POST',
					headers: {
						'content-type': rng.next() < 0.9 ? 'application/json' : 'text/plain',
						authorization: `Bearer ${token}`
					},
					body: payload
				});
				const answer = await response.json();
				expect(response.status, `seed ${seed}, body ${payload.slice(0, 200)}`).toBeLessThan(500);
				if (response.status >= 400) expect(answer.error.message).toEqual(expect.any(String));
			}
			expect(relay.problems()).toEqual([]);
		}
	);
});
