// Relays that know each other by a shared peer map, as LETTERLOCK_PEERS would configure them, with
// retries fast enough for a test.
import { startRelay, type Backend, type RunningRelay } from '../helpers/relay-server';
import type { FederationOptions } from '../../src/lib/server/federation';
import type { RelayOptions } from '../../src/lib/server/relay';
import * as openpgp from 'openpgp';
import { expect } from 'vitest';
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { api, encryptFor, type TestKey } from './support';

export const FAST_RETRY = { firstDelayMs: 200, maxDelayMs: 1_000, giveUpAfterMs: 60_000 };

/** Starts a relay for `domain` and enters it in `peers`, which every relay of the test shares. */
export async function startPeer(
	backend: Backend,
	domain: string,
	peers: Map<string, string>,
	options: {
		dataDir?: string;
		schema?: string;
		federation?: FederationOptions;
		rateLimits?: RelayOptions['rateLimits'];
		powBits?: number;
	} = {}
): Promise<RunningRelay> {
	const relay = await startRelay({
		backend,
		domain,
		dataDir: options.dataDir,
		schema: options.schema,
		powBits: options.powBits,
		rateLimits: {
			federation: { burst: 5000, perMinute: 5000 },
			deliveryNetwork: { burst: 5000, perMinute: 5000 },
			sending: { burst: 500, perMinute: 500 },
			...options.rateLimits
		},
		federation: { peers, retry: FAST_RETRY, pollMs: 100, ...options.federation }
	});
	peers.set(domain, relay.url);
	return relay;
}

/** Polls until `check` returns something truthy; the relays work in the background. Generous:
 * CI machines are slow and busy. Tests that wait this way need a test timeout above it. */
export async function eventually<T>(
	check: () => Promise<T | undefined | false>,
	what: string,
	timeoutMs = 60_000
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export async function inbox(relay: RunningRelay, address: string, token: string) {
	const listed = await api(relay, 'GET', `/api/mailboxes/${address}/messages?folder=inbox`, {
		token
	});
	return listed.body.messages as { id: string; from: string }[];
}

export async function readText(
	relay: RunningRelay,
	address: string,
	token: string,
	id: string,
	key: TestKey
): Promise<string> {
	const stored = await api(relay, 'GET', `/api/mailboxes/${address}/messages/${id}`, { token });
	const { data } = await openpgp.decrypt({
		message: await openpgp.readMessage({ armoredMessage: stored.body.message }),
		decryptionKeys: key.privateKey
	});
	return data as string;
}

/** A relay's private signing key, read from its database as only that relay could. */
export async function relayPrivateKey(relay: RunningRelay): Promise<KeyObject> {
	// Publishing the document makes the key if the relay has none yet; the empty candidate below
	// then never wins.
	expect((await api(relay, 'GET', '/.well-known/letterlock/relay')).status).toBe(200);
	const stored = await relay.storage.relayKey({
		privateKey: '',
		publicKey: '',
		createdAt: new Date().toISOString()
	});
	return createPrivateKey({
		key: Buffer.from(stored.privateKey, 'base64url'),
		format: 'der',
		type: 'pkcs8'
	});
}

/** The `Letterlock-Signature` value a relay holding `key` puts on `body`. */
export function signDelivery(key: KeyObject, body: string): string {
	return sign(null, Buffer.from(`letterlock-delivery-v1\n${body}`), key).toString('base64url');
}

/** POSTs a delivery as a relay would: signed by `key`, with a given signature, or unsigned. */
export function postDelivery(to: RunningRelay, body: string, key?: KeyObject | string) {
	const signature = typeof key === 'string' ? key : key && signDelivery(key, body);
	return api(to, 'POST', '/api/federation/deliveries', {
		raw: body,
		headers: signature ? { 'letterlock-signature': `ed25519=${signature}` } : {}
	});
}

/** A delivery body from `sender` to `recipient`, whose key the message is encrypted to. */
export async function deliveryBody(
	sender: string,
	recipient: { address: string; key: TestKey },
	overrides: Record<string, unknown> = {}
): Promise<string> {
	return JSON.stringify({
		v: 1,
		from: sender.split('@')[1],
		to: recipient.address.split('@')[1],
		id: randomUUID(),
		sender,
		recipients: [recipient.address],
		message: await encryptFor([recipient.key], 'a delivery'),
		sentAt: new Date().toISOString(),
		...overrides
	});
}
