// Small client-side helpers for the relay tests: keys, JSON over real HTTP, sign-in, encryption.
import * as openpgp from 'openpgp';
import type { RunningRelay } from '../helpers/relay-server';
import { loginNotation } from '../../src/lib/protocol/login-challenge';

export interface TestKey {
	publicKey: string;
	privateKey: openpgp.PrivateKey;
	fingerprint: string;
}

export async function makeKey(
	email: string,
	options: { keyExpirationTime?: number; date?: Date } = {}
): Promise<TestKey> {
	const generated = await openpgp.generateKey({
		type: 'curve25519',
		userIDs: [{ name: 'Test', email }],
		format: 'armored',
		...options
	});
	const privateKey = await openpgp.readPrivateKey({ armoredKey: generated.privateKey });
	return {
		publicKey: generated.publicKey,
		privateKey,
		fingerprint: privateKey.getFingerprint().toUpperCase()
	};
}

export interface ApiResult {
	status: number;
	headers: Headers;
	// Tests look into bodies freely; the shapes are checked by assertions.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export async function api(
	relay: RunningRelay,
	method: string,
	path: string,
	options: { json?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {}
): Promise<ApiResult> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	let body: string | undefined;
	if (options.json !== undefined || options.raw !== undefined) {
		headers['content-type'] ??= 'application/json';
		body = options.raw ?? JSON.stringify(options.json);
	}
	const response = await fetch(relay.url + path, { method, headers, body });
	const text = await response.text();
	const isJson = response.headers.get('content-type')?.startsWith('application/json');
	return {
		status: response.status,
		headers: response.headers,
		body: isJson && text ? JSON.parse(text) : text
	};
}

export async function register(relay: RunningRelay, address: string): Promise<TestKey> {
	const key = await makeKey(address);
	const result = await api(relay, 'POST', '/api/accounts', {
		json: { address, publicKey: key.publicKey }
	});
	if (result.status !== 201) throw new Error(`register failed: ${JSON.stringify(result.body)}`);
	return key;
}

/** A login signature as Letterlock clients make it: detached, over the text, with the login
 * notation (`marked: false` leaves it out, as an old client or a mail signature would). */
export async function signChallenge(
	key: TestKey,
	challenge: string,
	options: { marked?: boolean } = {}
): Promise<string> {
	return openpgp.sign({
		message: await openpgp.createMessage({ text: challenge }),
		signingKeys: key.privateKey,
		detached: true,
		signatureNotations: options.marked === false ? [] : [loginNotation()],
		format: 'armored'
	});
}

export async function signIn(relay: RunningRelay, address: string, key: TestKey): Promise<string> {
	const { body } = await api(relay, 'POST', '/api/auth/challenge', { json: { address } });
	const signature = await signChallenge(key, body.challenge);
	const result = await api(relay, 'POST', '/api/auth/sessions', {
		json: { address, challenge: body.challenge, signature }
	});
	if (result.status !== 201) throw new Error(`sign-in failed: ${JSON.stringify(result.body)}`);
	return result.body.token;
}

export async function encryptFor(keys: TestKey[], text: string): Promise<string> {
	return openpgp.encrypt({
		message: await openpgp.createMessage({ text }),
		encryptionKeys: await Promise.all(
			keys.map((key) => openpgp.readKey({ armoredKey: key.publicKey }))
		),
		format: 'armored'
	});
}

/** A clock the relay reads; tests move it forward to expire challenges and sessions. */
export function testClock() {
	let offset = 0;
	return {
		now: () => new Date(Date.now() + offset),
		advance(ms: number) {
			offset += ms;
		}
	};
}
