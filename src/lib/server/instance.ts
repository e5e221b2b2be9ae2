// The one relay of this process, created from the environment on first use by the SvelteKit
// routes. Creation is shared so that concurrent first requests open the database only once.
import { readConfig } from './config';
import { createRelay, type Relay } from './relay';
import { openStorage } from './storage';

let relay: Promise<Relay> | undefined;

export function getRelay(): Promise<Relay> {
	relay ??= (async () => {
		const config = readConfig();
		const storage = await openStorage(config);
		return createRelay({
			storage,
			domain: config.domain,
			origin: config.origin,
			version: config.version
		});
	})().catch((error: unknown) => {
		// Let the next request try again, e.g. once PostgreSQL is reachable.
		relay = undefined;
		throw error;
	});
	return relay;
}
