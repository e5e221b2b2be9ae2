// The relay's settings, read from the environment once at start-up.
import { version } from '../../../package.json';
import type { FederationOptions } from './federation';
import { parsePeers } from './federation/discovery';
import { parseSocksProxy } from './federation/socks5';
import { MAX_STAMP_BITS } from '$lib/protocol';
import type { RateLimits, RateRule } from './rate-limit';
import { parseOperatorAddresses, type OperatorAddresses } from './role-addresses';
import type { S3Settings } from './storage/block-s3';

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
	/** The onion mirror's origin (ONION_LOCATION), which login challenges name when asked for
	 * through it. */
	mirrorOrigin: string | undefined;
	version: string;
	/** Overrides of the default rate limits, from LETTERLOCK_RATE_LIMITS. */
	rateLimits: Partial<RateLimits>;
	/** Bytes of attachment blocks per account, from LETTERLOCK_BLOCK_QUOTA (e.g. `20G`). */
	blockQuotaBytes: number | undefined;
	/** Bytes of mail, folders and flags, and backups per account, from LETTERLOCK_ACCOUNT_QUOTA. */
	accountQuotaBytes: number | undefined;
	/** Peers (LETTERLOCK_PEERS), public discovery (LETTERLOCK_DISCOVERY, `public` unless `peers`),
	 * the SOCKS5 proxy (LETTERLOCK_SOCKS_PROXY) and retries (LETTERLOCK_DELIVERY_RETRY). */
	federation: FederationOptions;
	/** Where attachment blocks go when LETTERLOCK_BLOCK_STORE=s3; otherwise beside the database. */
	s3BlockStore: S3Settings | undefined;
	/** Proof-of-work bits a stranger's mail needs, from LETTERLOCK_POW_BITS (0 turns it off). */
	powBits: number;
	/** Role addresses the operator claims, each with its key, from LETTERLOCK_ROLE_KEYS. */
	operatorAddresses: OperatorAddresses;
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

const LIMIT_NAMES = [
	'login',
	'registration',
	'sending',
	'imports',
	'lookup',
	'federation',
	'deliveryNetwork',
	'firstContact',
	'recovery',
	'stateLog'
] as const;

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
export function parseByteSize(
	text: string | undefined,
	variable = 'LETTERLOCK_BLOCK_QUOTA'
): number | undefined {
	if (!text) return undefined;
	const match = /^\s*(\d+)\s*([KMGT]?)\s*$/i.exec(text);
	if (!match) {
		throw new Error(`${variable}: "${text}" is not a size like "20G" or "500M".`);
	}
	return Number(match[1]) * UNITS[match[2]!.toUpperCase()]!;
}

/** `public` (the default): peers, then DNS, then https://DOMAIN; `peers`: the map alone. */
function parseDiscovery(text: string | undefined): boolean {
	if (text === undefined || text === '' || text === 'public') return true;
	if (text === 'peers') return false;
	throw new Error(`LETTERLOCK_DISCOVERY: "${text}" is neither "public" nor "peers".`);
}

const S3_VARIABLES = {
	endpoint: 'LETTERLOCK_S3_ENDPOINT',
	bucket: 'LETTERLOCK_S3_BUCKET',
	region: 'LETTERLOCK_S3_REGION',
	accessKeyId: 'LETTERLOCK_S3_ACCESS_KEY_ID',
	secretAccessKey: 'LETTERLOCK_S3_SECRET_ACCESS_KEY'
} as const;

/** The S3 store's settings when LETTERLOCK_BLOCK_STORE=s3, each from its LETTERLOCK_S3_* variable. */
export function readS3Settings(env: Record<string, string | undefined>): S3Settings | undefined {
	const store = env.LETTERLOCK_BLOCK_STORE || 'default';
	if (store === 'default') return undefined;
	if (store !== 's3') {
		throw new Error(
			`LETTERLOCK_BLOCK_STORE: "${store}" is not a block store; use "s3" or leave it unset.`
		);
	}
	const missing = Object.values(S3_VARIABLES).filter((name) => !env[name]);
	if (missing.length > 0) {
		throw new Error(`LETTERLOCK_BLOCK_STORE=s3 needs ${missing.join(', ')} to be set as well.`);
	}
	const value = (key: keyof typeof S3_VARIABLES) => env[S3_VARIABLES[key]]!;
	return {
		endpoint: new URL(value('endpoint')).origin,
		bucket: value('bucket'),
		region: value('region'),
		accessKeyId: value('accessKeyId'),
		secretAccessKey: value('secretAccessKey'),
		// Temporary credentials only: an access key of its own needs none.
		sessionToken: env.LETTERLOCK_S3_SESSION_TOKEN || undefined
	};
}

/** About 260,000 hashes: a few seconds at most in a browser worker (the pow benchmark measured
 * 91,000 a second on a busy machine), and a day of one core for 30,000 unsolicited letters. */
export const DEFAULT_POW_BITS = 18;

export function parsePowBits(text: string | undefined): number {
	if (text === undefined || text.trim() === '') return DEFAULT_POW_BITS;
	const bits = Number(text);
	if (!Number.isInteger(bits) || bits < 0 || bits > MAX_STAMP_BITS) {
		throw new Error(
			`LETTERLOCK_POW_BITS: "${text}" is not a whole number from 0 (off) to ${MAX_STAMP_BITS}.`
		);
	}
	return bits;
}

export function readConfig(env: Record<string, string | undefined> = process.env): RelayConfig {
	return {
		dataDir: env.LETTERLOCK_DATA || './data',
		domain: (env.LETTERLOCK_DOMAIN || 'localhost').toLowerCase(),
		databaseUrl: env.DATABASE_URL || undefined,
		databaseSchema: env.LETTERLOCK_DATABASE_SCHEMA || undefined,
		origin: new URL(env.ORIGIN || 'http://localhost:3000').origin,
		mirrorOrigin: env.ONION_LOCATION ? new URL(env.ONION_LOCATION).origin : undefined,
		version,
		rateLimits: parseRateLimits(env.LETTERLOCK_RATE_LIMITS),
		blockQuotaBytes: parseByteSize(env.LETTERLOCK_BLOCK_QUOTA),
		accountQuotaBytes: parseByteSize(env.LETTERLOCK_ACCOUNT_QUOTA, 'LETTERLOCK_ACCOUNT_QUOTA'),
		federation: {
			peers: parsePeers(env.LETTERLOCK_PEERS),
			publicDiscovery: parseDiscovery(env.LETTERLOCK_DISCOVERY),
			socksProxy: env.LETTERLOCK_SOCKS_PROXY
				? parseSocksProxy(env.LETTERLOCK_SOCKS_PROXY)
				: undefined,
			retry: parseRetry(env.LETTERLOCK_DELIVERY_RETRY)
		},
		s3BlockStore: readS3Settings(env),
		powBits: parsePowBits(env.LETTERLOCK_POW_BITS),
		operatorAddresses: parseOperatorAddresses(env.LETTERLOCK_ROLE_KEYS)
	};
}
