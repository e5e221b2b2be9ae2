// Limits that slow down guessing and flooding, per key (an address, an account or a client IP);
// a request over the limit is answered 429 with Retry-After. With SQLite, which one process owns,
// they are token buckets in memory here: each key holds up to `burst` tokens and earns
// `perMinute` back. Relays sharing PostgreSQL count in it instead (`rate-limit-shared.ts`), so
// that a limit holds across all of them rather than once per process.
import { RelayError } from './errors';
import type { Client } from './router';
import { sharedRateLimiter } from './rate-limit-shared';
import type { SharedCounters } from './storage/types';

export interface RateRule {
	burst: number;
	perMinute: number;
}

export interface RateLimits {
	/** Login challenges and sessions, per address and client IP: a stranger who uses up an
	 * address's tries from one network leaves its owner's own network untouched. */
	login: RateRule;
	/** New accounts, per client IP. */
	registration: RateRule;
	/** Messages sent, per account. */
	sending: RateRule;
	/** Letters imported into one's own inbox, per account: they reach nobody else and count
	 * against the account quota, so their bucket is larger than sending's. */
	imports: RateRule;
	/** Key lookups (JSON and WKD), per client IP. */
	lookup: RateRule;
	/** Deliveries from other relays, per sending relay (verified by its signature). */
	federation: RateRule;
	/** Deliveries from other relays, per client IP, before their bodies are read or checked. */
	deliveryNetwork: RateRule;
	/** Messages to people who do not know the sender yet (stamped mail), per sender. */
	firstContact: RateRule;
	/** Fetching a recovery backup or a device transfer, per client IP. */
	recovery: RateRule;
	/** Entries appended to the mail state log, per account. */
	stateLog: RateRule;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
	login: { burst: 20, perMinute: 10 },
	registration: { burst: 20, perMinute: 1 },
	sending: { burst: 60, perMinute: 60 },
	// An old mailbox of thousands of letters moves in within minutes; the quota bounds the bytes.
	imports: { burst: 600, perMinute: 600 },
	lookup: { burst: 300, perMinute: 300 },
	federation: { burst: 600, perMinute: 600 },
	deliveryNetwork: { burst: 600, perMinute: 600 },
	firstContact: { burst: 30, perMinute: 5 },
	recovery: { burst: 10, perMinute: 5 },
	// Clients append one entry per change of folders or flags, and batch bursts of changes.
	stateLog: { burst: 120, perMinute: 60 }
};

/** The bucket key for limits that count per address (or account) from each client IP. */
export const perClient = (client: Client, key: string) => `${client.address} ${key}`;

/** Beyond this many keys, buckets that have refilled completely are forgotten (they hold no
 * information), so a flood of distinct keys cannot grow memory without bound. */
const PRUNE_ABOVE = 10_000;

interface Bucket {
	tokens: number;
	at: number;
}

export interface RateLimiter {
	/** Counts one request of `key`, or throws 429 saying when to try again. */
	take(key: string): Promise<void>;
}

/** The 429 every limiter answers, naming what is limited and the wait in whole seconds. */
export function tooMany(what: string, seconds: number): RelayError {
	return new RelayError(
		429,
		'rate-limited',
		`Too many ${what} in a short time; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
		{ 'retry-after': String(seconds) }
	);
}

export class MemoryRateLimiter implements RateLimiter {
	readonly #buckets = new Map<string, Bucket>();

	constructor(
		private readonly rule: RateRule,
		private readonly now: () => Date,
		/** What is being limited, for the sentence: "Too many login attempts for …". */
		private readonly what: string
	) {}

	/** Spends one token of `key`'s bucket, or throws 429 saying when to try again. */
	async take(key: string): Promise<void> {
		const now = this.now().getTime();
		const bucket = this.#refilled(key, now);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			this.#buckets.set(key, bucket);
			if (this.#buckets.size > PRUNE_ABOVE) this.#prune(now);
			return;
		}
		const seconds = Math.max(1, Math.ceil(((1 - bucket.tokens) * 60) / this.rule.perMinute));
		throw tooMany(this.what, seconds);
	}

	#refilled(key: string, now: number): Bucket {
		const bucket = this.#buckets.get(key);
		if (!bucket) return { tokens: this.rule.burst, at: now };
		const earned = ((now - bucket.at) / 60_000) * this.rule.perMinute;
		return { tokens: Math.min(this.rule.burst, bucket.tokens + Math.max(0, earned)), at: now };
	}

	#prune(now: number): void {
		for (const [key] of this.#buckets) {
			if (this.#refilled(key, now).tokens >= this.rule.burst) this.#buckets.delete(key);
		}
	}
}

export interface RateLimiters {
	login: RateLimiter;
	registration: RateLimiter;
	sending: RateLimiter;
	imports: RateLimiter;
	lookup: RateLimiter;
	federation: RateLimiter;
	deliveryNetwork: RateLimiter;
	firstContact: RateLimiter;
	recovery: RateLimiter;
	stateLog: RateLimiter;
}

/** What each limit counts, for the sentence: "Too many login attempts for …". */
const WHAT: Record<keyof RateLimits, string> = {
	login: 'login attempts for this address',
	registration: 'new accounts from your network',
	sending: 'messages from this account',
	imports: 'imported letters for this account',
	lookup: 'key lookups from your network',
	federation: 'deliveries from this relay',
	deliveryNetwork: 'deliveries from your network',
	firstContact: 'messages to people who do not know you yet from this sender',
	recovery: 'tries to fetch a backup',
	stateLog: 'changes to folders and flags'
};

/** In memory on `now`'s clock, or counted in PostgreSQL (on its clients' system clocks) when
 * `shared` is given. */
export function rateLimiters(
	limits: RateLimits,
	now: () => Date,
	shared?: SharedCounters
): RateLimiters {
	const limiter = (kind: keyof RateLimits): RateLimiter =>
		shared
			? sharedRateLimiter(shared, kind, limits[kind], (seconds) => tooMany(WHAT[kind], seconds))
			: new MemoryRateLimiter(limits[kind], now, WHAT[kind]);
	return {
		login: limiter('login'),
		registration: limiter('registration'),
		sending: limiter('sending'),
		imports: limiter('imports'),
		lookup: limiter('lookup'),
		federation: limiter('federation'),
		deliveryNetwork: limiter('deliveryNetwork'),
		firstContact: limiter('firstContact'),
		recovery: limiter('recovery'),
		stateLog: limiter('stateLog')
	};
}
