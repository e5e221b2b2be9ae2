// Finding the relay of a mail domain: the static peer map first (tests, private networks), then
// the DNS TXT record `_letterlock.DOMAIN`, then `https://DOMAIN`. Wherever the origin comes from,
// the relay document at `/.well-known/letterlock/relay` must name the domain, and gives the key
// that signs the relay's deliveries. Documents are cached for a while. Through a SOCKS proxy the
// TXT step is skipped: a proxy resolves the names it connects to, never TXT records, and asking
// the local resolver would tell the network which domains this relay writes to.
import { resolveTxt } from 'node:dns/promises';
import * as v from 'valibot';
import { DomainSchema, RelayDocument } from '$lib/protocol';
import { ForbiddenTargetError, type FederationFetch } from './fetcher';

export const RELAY_DOCUMENT_PATH = '/.well-known/letterlock/relay';

export interface DiscoveredRelay {
	/** Where this relay's API is: requests go to `${origin}/api/…`. */
	origin: string;
	document: RelayDocument;
}

/** Discovery did not find a usable relay; `temporary` when asking later may help. */
export class DiscoveryError extends Error {
	constructor(
		message: string,
		readonly temporary: boolean
	) {
		super(message);
	}
}

/** `two.example=http://127.0.0.1:4002,three.example=http://…` (LETTERLOCK_PEERS). */
export function parsePeers(text: string | undefined): Map<string, string> {
	const peers = new Map<string, string>();
	for (const item of (text ?? '').split(',').filter((part) => part.trim() !== '')) {
		const [name, origin] = item.split('=').map((part) => part.trim());
		const domain = v.safeParse(DomainSchema, name);
		let url: URL | undefined;
		try {
			url = new URL(origin ?? '');
		} catch {
			url = undefined;
		}
		if (!domain.success || !url || !['http:', 'https:'].includes(url.protocol)) {
			throw new Error(
				`LETTERLOCK_PEERS: "${item}" is not like "two.example=https://relay.two.example".`
			);
		}
		peers.set(domain.output, url.origin);
	}
	return peers;
}

export interface TxtRelay {
	origin: string;
	/** When the record pins the relay key, the document must carry exactly this key. */
	key?: string;
}

/** The first `v=letterlock1; relay=URL[; key=ed25519:KEY]` among a name's TXT records (each
 * record as the strings it was split into). */
export function parseTxtRecords(records: string[][]): TxtRelay | undefined {
	for (const strings of records) {
		const fields = new Map(
			strings
				.join('')
				.split(';')
				.map((field) => field.trim().split('='))
				.filter((pair) => pair.length === 2)
				.map(([name, value]) => [name!.trim().toLowerCase(), value!.trim()])
		);
		if (fields.get('v') !== 'letterlock1') continue;
		let relay: URL;
		try {
			relay = new URL(fields.get('relay') ?? '');
		} catch {
			continue;
		}
		if (!['http:', 'https:'].includes(relay.protocol)) continue;
		const key = /^ed25519:([A-Za-z0-9_-]{43})$/.exec(fields.get('key') ?? '')?.[1];
		if (fields.has('key') && !key) continue;
		return { origin: relay.origin, ...(key ? { key } : {}) };
	}
	return undefined;
}

export interface DiscoveryOptions {
	/** Consulted at every lookup, so that it may change while the relay runs (tests do that). */
	peers: ReadonlyMap<string, string>;
	/** DNS and `https://DOMAIN` after the map; off in tests, which must not leave loopback. */
	publicDiscovery: boolean;
	/** Whether requests go through a SOCKS5 proxy: the only way to an `.onion` domain. */
	proxied: boolean;
	fetch: FederationFetch;
	/** How long a relay document is trusted before it is fetched again. */
	ttlMs: number;
	now: () => Date;
	resolveTxt?: (name: string) => Promise<string[][]>;
}

export interface Discovery {
	/** `beforeLookup` runs only when the answer is not cached, i.e. when it costs a lookup. */
	relayFor(domain: string, beforeLookup?: () => Promise<void>): Promise<DiscoveredRelay>;
}

export function createDiscovery(options: DiscoveryOptions): Discovery {
	const cache = new Map<string, { relay: DiscoveredRelay; until: number }>();
	const lookupTxt = options.resolveTxt ?? resolveTxt;

	async function where(domain: string): Promise<TxtRelay & { viaDomain: boolean }> {
		const peer = options.peers.get(domain);
		if (peer) return { origin: peer, viaDomain: false };
		if (!options.publicDiscovery) {
			throw new DiscoveryError(`No relay is known for ${domain}.`, false);
		}
		const txt = options.proxied
			? undefined
			: await lookupTxt(`_letterlock.${domain}`).then(parseTxtRecords, () => undefined);
		if (txt) return { ...txt, viaDomain: false };
		return { origin: `https://${domain}`, viaDomain: true };
	}

	async function discover(domain: string): Promise<DiscoveredRelay> {
		// Wherever the map says it is, an onion domain's relay is reached through Tor or not at all.
		if (domain.endsWith('.onion') && !options.proxied) {
			throw new DiscoveryError(
				`${domain} is an onion domain: set LETTERLOCK_SOCKS_PROXY to reach it through Tor.`,
				true
			);
		}
		const found = await where(domain);
		let answer;
		try {
			answer = await options.fetch(found.origin + RELAY_DOCUMENT_PATH, { method: 'GET' });
		} catch (error) {
			// One plain sentence: what the socket said (addresses, ports) is not the asker's business.
			if (error instanceof ForbiddenTargetError) {
				throw new DiscoveryError(
					`The relay of ${domain} is on an address relays do not connect to.`,
					false
				);
			}
			throw new DiscoveryError(`The relay of ${domain} cannot be reached.`, true);
		}
		if (answer.status !== 200) {
			throw new DiscoveryError(
				`The relay of ${domain} has no relay document (HTTP ${answer.status}).`,
				answer.status >= 500 || answer.status === 429
			);
		}
		let parsed;
		try {
			parsed = v.safeParse(RelayDocument, JSON.parse(answer.body));
		} catch {
			parsed = undefined;
		}
		if (!parsed?.success || parsed.output.domain !== domain) {
			throw new DiscoveryError(
				`The relay document found for ${domain} is not valid for it.`,
				false
			);
		}
		if (found.key && found.key !== parsed.output.key.publicKey) {
			throw new DiscoveryError(`The relay key of ${domain} differs from its DNS record.`, false);
		}
		// A document found at the domain itself may send its API elsewhere; a configured or DNS
		// origin is where the operator said the relay is.
		return {
			origin: found.viaDomain ? new URL(parsed.output.origin).origin : found.origin,
			document: parsed.output
		};
	}

	return {
		async relayFor(domain, beforeLookup) {
			const now = options.now().getTime();
			const cached = cache.get(domain);
			// A peer whose address changed in the map is asked afresh.
			if (
				cached &&
				cached.until > now &&
				cached.relay.origin === (options.peers.get(domain) ?? cached.relay.origin)
			) {
				return cached.relay;
			}
			await beforeLookup?.();
			const relay = await discover(domain);
			cache.set(domain, { relay, until: now + options.ttlMs });
			return relay;
		}
	};
}
