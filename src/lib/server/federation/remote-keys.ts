// Key lookups for addresses on other relays: the client asks its own relay, which asks the
// remote relay's directory (found by discovery) and caches the answer for a while. The client
// then treats the answer like any other: pinned on first use, conflicts never auto-resolved.
import * as v from 'valibot';
import { LookupResponse, splitAddress } from '$lib/protocol';
import { RelayError } from '../errors';
import { DiscoveryError, type Discovery } from './discovery';
import { ForbiddenTargetError, type FederationFetch } from './fetcher';

/** Beyond this many cached answers the oldest are dropped. */
const MAX_CACHED = 5_000;

export interface RemoteKeys {
	lookup(address: string): Promise<LookupResponse>;
}

export function remoteKeys(options: {
	discovery: Discovery;
	fetch: FederationFetch;
	ttlMs: number;
	now: () => Date;
}): RemoteKeys {
	const cache = new Map<string, { answer: LookupResponse; until: number }>();
	const unavailable = (address: string, why: string) =>
		new RelayError(
			424,
			'remote-unavailable',
			`The key of ${address} cannot be fetched right now: ${why} Try again later.`
		);
	const nobody = (domain: string) =>
		new RelayError(404, 'unknown-address', `No Letterlock relay serves ${domain}.`);

	async function fetchAnswer(address: string): Promise<LookupResponse> {
		const { domain } = splitAddress(address);
		const relay = await options.discovery.relayFor(domain).catch((error: unknown) => {
			if (!(error instanceof DiscoveryError)) throw error;
			if (!error.temporary) throw nobody(domain);
			throw unavailable(address, error.message);
		});
		// Whatever the socket said stays here: the asker gets a plain sentence.
		const answer = await options
			.fetch(`${relay.origin}/api/keys/${encodeURIComponent(address)}`, { method: 'GET' })
			.catch((error: unknown) => {
				if (error instanceof ForbiddenTargetError) throw nobody(domain);
				throw unavailable(address, `the relay of ${domain} cannot be reached.`);
			});
		if (answer.status === 404) {
			throw new RelayError(404, 'unknown-address', `No key is published for ${address}.`);
		}
		let parsed;
		try {
			parsed = v.safeParse(LookupResponse, JSON.parse(answer.body));
		} catch {
			parsed = undefined;
		}
		if (answer.status !== 200 || !parsed?.success || parsed.output.address !== address) {
			throw unavailable(address, `the relay of ${domain} answered HTTP ${answer.status}.`);
		}
		return parsed.output;
	}

	return {
		async lookup(address) {
			const now = options.now().getTime();
			const cached = cache.get(address);
			if (cached && cached.until > now) return cached.answer;
			const answer = await fetchAnswer(address);
			cache.delete(address);
			cache.set(address, { answer, until: now + options.ttlMs });
			if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
			return answer;
		}
	};
}
