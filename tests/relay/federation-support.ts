// Relays that know each other by a shared peer map, as LETTERLOCK_PEERS would configure them, with
// retries fast enough for a test.
import { startRelay, type Backend, type RunningRelay } from '../helpers/relay-server';
import type { FederationOptions } from '../../src/lib/server/federation';
import * as openpgp from 'openpgp';
import { api, type TestKey } from './support';

export const FAST_RETRY = { firstDelayMs: 200, maxDelayMs: 1_000, giveUpAfterMs: 60_000 };

/** Starts a relay for `domain` and enters it in `peers`, which every relay of the test shares. */
export async function startPeer(
	backend: Backend,
	domain: string,
	peers: Map<string, string>,
	options: { dataDir?: string; schema?: string; federation?: FederationOptions } = {}
): Promise<RunningRelay> {
	const relay = await startRelay({
		backend,
		domain,
		dataDir: options.dataDir,
		schema: options.schema,
		rateLimits: {
			federation: { burst: 5000, perMinute: 5000 },
			sending: { burst: 500, perMinute: 500 }
		},
		federation: { peers, retry: FAST_RETRY, pollMs: 100, ...options.federation }
	});
	peers.set(domain, relay.url);
	return relay;
}

/** Polls until `check` returns something truthy; the relays work in the background. */
export async function eventually<T>(
	check: () => Promise<T | undefined | false>,
	what: string,
	timeoutMs = 20_000
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
