// Directory answers (public keys by address) for one session of one Mailer. Every address is
// asked once per session, whoever needs it; addresses needed at the same moment (a contacts
// page, a letter to ten people, a page of letters) go to the relay in one request; "no key"
// is remembered for a minute only, since someone unknown now may register a minute later.
// A relay that says "too many lookups" (429) makes the lookups wait as long as it asks,
// within a patience after which the caller gets the 429: readers then open letters with the
// keys on this device instead of calling them "cannot be opened".
import { LIMITS } from '../protocol/api';
import { isValidAddress, normaliseAddress } from '../protocol/address';
import type { KeysLookupAnswer, LookupResponse } from '../protocol/api';
import { RelayError, type RelayClient } from './relay-client';

/** Where directory answers are kept between sessions, so a client can encrypt while offline. */
export interface DirectoryCache {
	get(address: string): Promise<LookupResponse | undefined>;
	put(address: string, answer: LookupResponse): Promise<void>;
}

export interface LookupOptions {
	/** Ask the relay now even if this session has an answer: before every send, so a key
	 * swapped since the last lookup is noticed. */
	fresh?: boolean;
	/** An answer asked for before this moment is not good enough: a letter received later may
	 * be signed by a key its sender made since. */
	notBefore?: Date;
}

export interface KeyLookupTimings {
	/** How long "no key" answers are kept (default one minute). */
	negativeMs?: number;
	/** How long lookups wait for a rate limit to pass before they fail (default one minute). */
	patienceMs?: number;
	/** How long a lookup waits for others to join its request (default 5 ms). */
	gatherMs?: number;
	now?: () => number;
}

interface Entry {
	answer: Promise<LookupResponse | null>;
	askedAt: number;
	/** When the answer stops counting: never for keys, soon for "no key". */
	expiresAt: number;
}

interface Waiter {
	resolve(answer: LookupResponse | null): void;
	reject(error: unknown): void;
	/** After this moment the waiter would rather fail than keep waiting out a rate limit. */
	deadline: number;
}

export class KeyLookups {
	readonly #answers = new Map<string, Entry>();
	/** Addresses waiting for the next request, with everyone waiting for each. */
	#queue = new Map<string, Waiter[]>();
	#timer: ReturnType<typeof setTimeout> | undefined;
	/** No request goes out before this moment: the relay asked us to wait (Retry-After). */
	#pausedUntil = 0;
	/** A rate limit someone ran out of patience with: lookups fail at once until `until`. */
	#refusal: { error: RelayError; until: number } | null = null;
	readonly #negativeMs: number;
	readonly #patienceMs: number;
	readonly #gatherMs: number;
	readonly #now: () => number;

	constructor(
		private readonly relay: RelayClient,
		private readonly directoryCache?: DirectoryCache,
		timings: KeyLookupTimings = {}
	) {
		this.#negativeMs = timings.negativeMs ?? 60_000;
		this.#patienceMs = timings.patienceMs ?? 60_000;
		this.#gatherMs = timings.gatherMs ?? 5;
		this.#now = timings.now ?? Date.now;
	}

	/** Null when the directory has no key for the address, or when it is no valid address at all
	 * (a hostile letter may name anything in its headers; that must not stop it from opening).
	 * Offline, the last answer this device kept; a RelayError 'offline' when it kept none. */
	get(address: string, options: LookupOptions = {}): Promise<LookupResponse | null> {
		if (!isValidAddress(address)) return Promise.resolve(null);
		const key = normaliseAddress(address);
		const now = this.#now();
		const kept = this.#answers.get(key);
		const recentEnough = (entry: Entry) =>
			options.notBefore === undefined ||
			entry.askedAt >= Math.min(options.notBefore.getTime(), now);
		if (kept && !options.fresh && now < kept.expiresAt && recentEnough(kept)) return kept.answer;
		const entry: Entry = { answer: this.#ask(key), askedAt: now, expiresAt: Infinity };
		this.#answers.set(key, entry);
		entry.answer.then(
			(answer) => {
				if (answer === null) entry.expiresAt = entry.askedAt + this.#negativeMs;
			},
			() => {
				// Failures are not answers: the next caller asks again.
				if (this.#answers.get(key) === entry) this.#answers.delete(key);
			}
		);
		return entry.answer;
	}

	/** Whether answers can be kept between sessions (offline errors then name the address). */
	get keepsAnswers(): boolean {
		return this.directoryCache !== undefined;
	}

	async #ask(address: string): Promise<LookupResponse | null> {
		if (this.#refusal && this.#now() < this.#refusal.until) throw this.#refusal.error;
		try {
			const answer = await new Promise<LookupResponse | null>((resolve, reject) => {
				const waiters = this.#queue.get(address) ?? [];
				waiters.push({ resolve, reject, deadline: this.#now() + this.#patienceMs });
				this.#queue.set(address, waiters);
				this.#schedule(this.#gatherMs);
			});
			if (answer) await this.directoryCache?.put(address, answer).catch(() => undefined);
			return answer;
		} catch (error) {
			if (error instanceof RelayError && error.kind === 'offline') {
				return this.#offline(address, error);
			}
			throw error;
		}
	}

	#schedule(delayMs: number): void {
		if (this.#timer !== undefined) return;
		const wait = Math.max(delayMs, this.#pausedUntil - this.#now());
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.#flush();
		}, wait);
	}

	/** Sends what is queued, up to LIMITS.lookupBatch addresses per request. */
	#flush(): void {
		const queued = this.#queue;
		this.#queue = new Map();
		const addresses = [...queued.keys()];
		for (let start = 0; start < addresses.length; start += LIMITS.lookupBatch) {
			const chunk = addresses.slice(start, start + LIMITS.lookupBatch);
			void this.#request(chunk).then(
				(answers) => {
					for (const address of chunk) {
						const answer = answers.get(address);
						for (const waiter of queued.get(address)!) {
							if (answer instanceof Error) waiter.reject(answer);
							else waiter.resolve(answer ?? null);
						}
					}
				},
				(error: unknown) => {
					if (error instanceof RelayError && error.status === 429) {
						this.#waitOut(error, chunk, queued);
						return;
					}
					for (const address of chunk)
						for (const waiter of queued.get(address)!) waiter.reject(error);
				}
			);
		}
	}

	/** Puts a refused chunk back in the queue until the relay's Retry-After has passed; those
	 * whose patience ends before then get the refusal now, and so, for a while, does every new
	 * lookup: a relay that keeps refusing must not hold up each letter by a whole patience. */
	#waitOut(error: RelayError, chunk: string[], queued: Map<string, Waiter[]>): void {
		const seconds = Math.max(1, error.retryAfterSeconds ?? 1);
		this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + seconds * 1000);
		for (const address of chunk) {
			const waiting: Waiter[] = [];
			for (const waiter of queued.get(address)!) {
				if (waiter.deadline >= this.#pausedUntil) {
					waiting.push(waiter);
					continue;
				}
				this.#refusal = { error, until: this.#now() + this.#negativeMs };
				waiter.reject(error);
			}
			if (waiting.length === 0) continue;
			this.#queue.set(address, [...waiting, ...(this.#queue.get(address) ?? [])]);
		}
		if (this.#queue.size > 0) this.#schedule(0);
	}

	/** The relay's answers by address: keys, null for "no key", or an error for an address its
	 * relay could not be asked about (or that the answer left out). Answers about addresses not
	 * asked are ignored, so a lying relay cannot slip keys for them into this session. */
	async #request(chunk: string[]): Promise<Map<string, LookupResponse | null | RelayError>> {
		const answers = new Map<string, LookupResponse | null | RelayError>();
		if (chunk.length === 1) {
			// One address: the plain lookup, as every relay version answers it.
			const address = chunk[0]!;
			const answer = await this.relay.lookup(address).catch((error: unknown) => {
				if (error instanceof RelayError && error.status === 404) return null;
				throw error;
			});
			answers.set(
				address,
				answer === null || answer.address === address ? answer : missed(address)
			);
			return answers;
		}
		const asked = new Set(chunk);
		for (const answer of (await this.relay.lookupMany(chunk)).answers) {
			if (asked.has(answer.address)) answers.set(answer.address, fromBatch(answer));
		}
		for (const address of chunk) if (!answers.has(address)) answers.set(address, missed(address));
		return answers;
	}

	/** The last answer this device saw: public keys, so a stale one is no secret, and the
	 * relay still refuses mail for addresses that no longer exist when it is delivered. */
	async #offline(address: string, error: RelayError): Promise<LookupResponse> {
		const cached = await this.directoryCache?.get(address).catch(() => undefined);
		if (cached) return cached;
		throw error;
	}
}

function fromBatch(answer: KeysLookupAnswer): LookupResponse | null | RelayError {
	if (answer.status === 'unknown') return null;
	if (answer.status === 'unavailable') {
		// The relay's own words about why are not shown (lib/strings says what the kind means).
		return new RelayError('remote-unavailable', { status: 424, addresses: [answer.address] });
	}
	const { address, keys, conflict } = answer;
	return { address, keys, conflict };
}

function missed(address: string): RelayError {
	return new RelayError('remote-unavailable', { status: 502, addresses: [address] });
}
