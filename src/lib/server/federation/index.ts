// Federation as the relay wires it in: the relay document, inbound deliveries, remote key
// lookups and the outbound worker, sharing one discovery cache, one HTTP client and one key.
import type { RelayDocument } from '$lib/protocol';
import type { RelayContext } from '../context';
import { RelayError } from '../errors';
import { json } from '../http';
import type { Client } from '../router';
import { createDiscovery, DiscoveryError } from './discovery';
import { federationFetch, type ResolveHost } from './fetcher';
import { receiveDelivery } from './inbound';
import {
	DEFAULT_RETRY,
	startOutboundWorker,
	type OutboundWorker,
	type RetryPolicy
} from './outbound';
import { loadRelayKey, type RelayKey } from './relay-key';
import { remoteKeys } from './remote-keys';
import type { SocksProxy } from './socks5';

export interface FederationOptions {
	/** Domains whose relay origin is configured (LETTERLOCK_PEERS); read at every lookup. */
	peers?: ReadonlyMap<string, string>;
	/** Whether to look further than `peers`: DNS TXT, then `https://DOMAIN`. */
	publicDiscovery?: boolean;
	/** All federation traffic goes through this SOCKS5 proxy (LETTERLOCK_SOCKS_PROXY). */
	socksProxy?: SocksProxy;
	/** DNS for discovery (TXT records) and for connecting (addresses): the system resolver unless
	 * a test hands one in. Never used for connections through the SOCKS proxy. */
	resolver?: { txt?: (name: string) => Promise<string[][]>; addresses?: ResolveHost };
	retry?: Partial<RetryPolicy>;
	/** Queue polling interval; the worker is also woken whenever mail is queued. */
	pollMs?: number;
	/** How long relay documents and remote keys are cached. */
	cacheTtlMs?: number;
	/** What this relay asks receivers to do with unsigned or badly signed mail from its domain. */
	policy?: RelayDocument['policy']['unsigned'];
}

export interface Federation {
	document(): Promise<Response>;
	receive(request: Request, client: Client): Promise<Response>;
	lookupRemote(address: string): Promise<Response>;
	/** The proof-of-work bits the relay of `domain` publishes for strangers' mail. */
	remotePowBits(domain: string): Promise<number>;
	readonly worker: OutboundWorker;
}

export function createFederation(ctx: RelayContext, options: FederationOptions): Federation {
	const peers = options.peers ?? new Map<string, string>();
	const fetch = federationFetch({
		proxy: options.socksProxy,
		timeoutMs: 30_000,
		// Configured peers may be anywhere, loopback and private networks included.
		isPeer: (origin) => [...peers.values()].includes(origin),
		resolve: options.resolver?.addresses
	});
	const ttlMs = options.cacheTtlMs ?? 3600_000;
	const discovery = createDiscovery({
		peers,
		publicDiscovery: options.publicDiscovery ?? false,
		proxied: options.socksProxy !== undefined,
		fetch,
		ttlMs,
		now: ctx.now,
		resolveTxt: options.resolver?.txt
	});
	let key: Promise<RelayKey> | undefined;
	const relayKey = () => {
		key ??= loadRelayKey(ctx.storage, ctx.now()).catch((error: unknown) => {
			key = undefined;
			throw error;
		});
		return key;
	};
	const keys = remoteKeys({ discovery, fetch, ttlMs: Math.min(ttlMs, 300_000), now: ctx.now });
	return {
		async document() {
			const body: RelayDocument = {
				v: 1,
				domain: ctx.domain,
				origin: ctx.origin,
				key: { type: 'ed25519', publicKey: (await relayKey()).publicKey },
				policy: { unsigned: options.policy ?? 'reject', powBits: ctx.powBits }
			};
			return json(200, body, { 'cache-control': 'max-age=3600' });
		},
		receive: (request, client) => receiveDelivery(ctx, { discovery, relayKey }, request, client),
		lookupRemote: async (address) => json(200, await keys.lookup(address)),
		async remotePowBits(domain) {
			const relay = await discovery.relayFor(domain).catch((error: unknown) => {
				if (!(error instanceof DiscoveryError)) throw error;
				throw new RelayError(
					424,
					'remote-unavailable',
					`The relay of ${domain} cannot be asked what it requires right now: ${error.message} Try again later.`
				);
			});
			return relay.document.policy.powBits ?? 0;
		},
		worker: startOutboundWorker(ctx, {
			discovery,
			fetch,
			relayKey,
			retry: { ...DEFAULT_RETRY, ...options.retry },
			pollMs: options.pollMs ?? 5_000,
			leaseMs: 5 * 60_000,
			batch: 20
		})
	};
}
