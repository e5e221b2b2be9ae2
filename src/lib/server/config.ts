// The relay's settings, read from the environment once at start-up.
import { version } from '../../../package.json';
import type { FederationOptions } from './federation';
import { parsePeers } from './federation/discovery';
import { parseSocksProxy } from './federation/socks5';
import type { RateLimits, RateRule } from './rate-limit';

export interface RelayConfig {
	/** Directory for the embedded SQLite database (ignored when `databaseUrl` is set). */
	dataDir: string;
	/** The mail domain this relay hosts: accounts are `local@domain`. */
	domain: string;
	/** PostgreSQL connection string; when present it replaces the embedded database. */
	databaseUrl: string | undefined;
	/** PostgreSQL schema for the relay's tables, so relays (or benchmarks) can share a database. */
	databaseSchema: string | undefined;
	/** Public origin of the relay. It is written into login challenges so that a signature made
	 * for one relay cannot be replayed at another. */
	origin: string;
	version: string;
	/** Overrides of the default rate limits, from LETTERLOCK_RATE_LIMITS. */
	rateLimits: Partial<RateLimits>;
	/** Bytes of attachment blocks per account, from LETTERLOCK_BLOCK_QUOTA (e.g. `20G`). */
	blockQuotaBytes: number | undefined;
	/** Peers (LETTERLOCK_PEERS), public discovery (LETTERLOCK_DISCOVERY, `public` unless `peers`),
	 * the SOCKS5 proxy (LETTERLOCK_SOCKS_PROXY) and retries (LETTERLOCK_DELIVERY_RETRY). */
	federation: FederationOptions;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86400_000 };

/** `1m,6h,5d`: the first retry delay, the longest delay, and when to give up. */
export function parseRetry(text: string | undefined): FederationOptions['retry'] {
	if (!text) return undefined;
	const parts = text.split(',').map((part) => /^\s*(\d+)\s*([smhd])\s*$/.exec(part));
	if (parts.length !== 3 || parts.some((match) => !match)) {
		throw new Error(
			`LETTERLOCK_DELIVERY_RETRY: "${text}" is not like "1m,6h,5d" (first delay, longest delay, give up after).`
		);
	}
	const [first, max, giveUp] = parts.map(
		(match) => Number(match![1]) * DURATION_UNITS[match![2]!]!
	);
	return { firstDelayMs: first!, maxDelayMs: max!, giveUpAfterMs: giveUp! };
}

const LIMIT_NAMES = ['login', 'registration', 'sending', 'lookup', 'federation'] as const;

/** `registration:100/10,lookup:600/600`: per kind, the burst and the tokens earned per minute. */
export function parseRateLimits(text: string | undefined): Partial<RateLimits> {
	const limits: Partial<RateLimits> = {};
	for (const item of (text ?? '').split(',').filter((part) => part.trim() !== '')) {
		const match = /^\s*(\w+):(\d+)\/(\d+)\s*$/.exec(item);
		const name = LIMIT_NAMES.find((known) => known === match?.[1]);
		if (!match || !name || Number(match[3]) === 0) {
			throw new Error(
				`LETTERLOCK_RATE_LIMITS: "${item}" is not like "registration:20/1" (kind:burst/perMinute, kinds ${LIMIT_NAMES.join(', ')}).`
			);
		}
		const rule: RateRule = { burst: Number(match[2]), perMinute: Number(match[3]) };
		limits[name] = rule;
	}
	return limits;
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `500M`, `20G`, `1T` or a plain number of bytes. */
export function parseByteSize(text: string | undefined): number | undefined {
	if (!text) return undefined;
	const match = /^\s*(\d+)\s*([KMGT]?)\s*$/i.exec(text);
	if (!match) {
		throw new Error(`LETTERLOCK_BLOCK_QUOTA: "${text}" is not a size like "20G" or "500M".`);
	}
	return Number(match[1]) * UNITS[match[2]!.toUpperCase()]!;
}

/** `public` (the default): peers, then DNS, then https://DOMAIN; `peers`: the map alone. */
function parseDiscovery(text: string | undefined): boolean {
	if (text === undefined || text === '' || text === 'public') return true;
	if (text === 'peers') return false;
	throw new Error(`LETTERLOCK_DISCOVERY: "${text}" is neither "public" nor "peers".`);
}

export function readConfig(env: Record<string, string | undefined> = process.env): RelayConfig {
	return {
		dataDir: env.LETTERLOCK_DATA || './data',
		domain: (env.LETTERLOCK_DOMAIN || 'localhost').toLowerCase(),
		databaseUrl: env.DATABASE_URL || undefined,
		databaseSchema: env.LETTERLOCK_DATABASE_SCHEMA || undefined,
		origin: new URL(env.ORIGIN || 'http://localhost:3000').origin,
		version,
		rateLimits: parseRateLimits(env.LETTERLOCK_RATE_LIMITS),
		blockQuotaBytes: parseByteSize(env.LETTERLOCK_BLOCK_QUOTA),
		federation: {
			peers: parsePeers(env.LETTERLOCK_PEERS),
			publicDiscovery: parseDiscovery(env.LETTERLOCK_DISCOVERY),
			socksProxy: env.LETTERLOCK_SOCKS_PROXY
				? parseSocksProxy(env.LETTERLOCK_SOCKS_PROXY)
				: undefined,
			retry: parseRetry(env.LETTERLOCK_DELIVERY_RETRY)
		}
	};
}
