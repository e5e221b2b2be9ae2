// The one relay of this process, created from the environment on first use by the SvelteKit
// routes. Creation is shared so that concurrent first requests open the database only once.
import { readConfig } from './config';
import { relayListener, type RelayListenerOptions } from './node-http';
import { createRelay, type Relay } from './relay';
import type { Client } from './router';
import { openStorage } from './storage';

let relay: Promise<Relay> | undefined;

export function getRelay(): Promise<Relay> {
	relay ??= (async () => {
		const config = readConfig();
		const storage = await openStorage(config);
		// adapter-node emits this once the HTTP server has closed on SIGTERM/SIGINT; an open
		// PostgreSQL pool would otherwise keep the process alive forever.
		// The outbound worker stops first, then the storage closes.
		const created = createRelay({
			storage,
			domain: config.domain,
			origin: config.origin,
			mirrorOrigin: config.mirrorOrigin,
			version: config.version,
			rateLimits: config.rateLimits,
			// Processes behind one load balancer share one PostgreSQL, so they share the limits too.
			sharedRateLimits: true,
			blockQuotaBytes: config.blockQuotaBytes,
			accountQuotaBytes: config.accountQuotaBytes,
			federation: config.federation,
			powBits: config.powBits,
			operatorAddresses: config.operatorAddresses
		});
		process.once('sveltekit:shutdown', () => void created.close());
		return created;
	})().catch((error: unknown) => {
		// Let the next request try again, e.g. once PostgreSQL is reachable.
		relay = undefined;
		throw error;
	});
	return relay;
}

/** The client as adapter-node sees it: the socket's address, or the proxy header named by
 * ADDRESS_HEADER when the relay sits behind a reverse proxy. */
export function clientOf(getClientAddress: () => string): Client {
	try {
		return { address: getClientAddress() };
	} catch {
		// ADDRESS_HEADER is set but the proxy did not send it: such requests share one bucket.
		return { address: 'unknown' };
	}
}

/** The name under which scripts/serve.js finds `makeRelayListener`: the SvelteKit build is one
 * bundle that the server around it cannot import from, so the init hook leaves it on globalThis. */
export const RELAY_LISTENER = Symbol.for('letterlock.relay-listener');

/** A node:http listener for the relay's paths on this process's relay (see node-http.ts). */
export const makeRelayListener = (options: RelayListenerOptions) =>
	relayListener(getRelay, options);

export function offerRelayListener(): void {
	(globalThis as Record<symbol, unknown>)[RELAY_LISTENER] = makeRelayListener;
}
