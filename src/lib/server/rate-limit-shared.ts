// Rate limits that hold across every relay process on one PostgreSQL, counted there by
// rate-limiter-flexible. Its model is a fixed window rather than a token bucket: a rule of
// `burst` and `perMinute` allows `burst` requests per window of burst/perMinute minutes, the same
// rate over time, and Retry-After names the end of the window. Keys are hashed, so the table
// holds neither addresses nor client IPs, and fits its 255 characters whatever the key.
import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { RelayError } from './errors';
import type { RateLimiter, RateRule } from './rate-limit';
import type { SharedCounters } from './storage/types';

/** Created by the migrations (storage/schema.ts), in the relay's schema. */
const TABLE = 'rate_limits';

export function sharedRateLimiter(
	counters: SharedCounters,
	kind: string,
	rule: RateRule,
	/** The 429 to throw, given the seconds until the window ends. */
	refusal: (seconds: number) => RelayError
): RateLimiter {
	const counter = new RateLimiterPostgres({
		storeClient: counters,
		storeType: 'client',
		tableName: TABLE,
		tableCreated: true,
		keyPrefix: kind,
		points: rule.burst,
		duration: Math.max(1, Math.round((rule.burst * 60) / rule.perMinute))
	});
	return {
		async take(key) {
			const hashed = createHash('sha256').update(key).digest('hex');
			try {
				await counter.consume(hashed);
			} catch (error) {
				// Over the limit it rejects with the counter's state; anything else is the database's.
				if (!(error instanceof RateLimiterRes)) throw error;
				throw refusal(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
			}
		}
	};
}
