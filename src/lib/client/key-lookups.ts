// Directory answers (public keys by address) for one session of one Mailer: every view that
// needs a key shares one answer per address instead of asking the relay again.
import { isValidAddress } from '../protocol/address';
import type { LookupResponse } from '../protocol/api';
import { RelayError, type RelayClient } from './relay-client';

/** Where directory answers are kept between sessions, so a client can encrypt while offline. */
export interface DirectoryCache {
	get(address: string): Promise<LookupResponse | undefined>;
	put(address: string, answer: LookupResponse): Promise<void>;
}

export class KeyLookups {
	/** One lookup per address, shared by every caller. */
	readonly #answers = new Map<string, Promise<LookupResponse | null>>();

	constructor(
		private readonly relay: RelayClient,
		private readonly directoryCache?: DirectoryCache
	) {}

	/** Null when the directory has no key for the address, or when it is no valid address at all
	 * (a hostile letter may name anything in its headers; that must not stop it from opening).
	 * Offline, the last answer this device kept; a RelayError 'offline' when it kept none. */
	get(address: string, fresh = false): Promise<LookupResponse | null> {
		if (!isValidAddress(address)) return Promise.resolve(null);
		if (fresh) this.#answers.delete(address);
		let pending = this.#answers.get(address);
		if (!pending) {
			pending = this.relay.lookup(address).then(
				async (answer) => {
					await this.directoryCache?.put(address, answer).catch(() => undefined);
					return answer;
				},
				async (error: unknown) => {
					// Only keys are remembered: someone unknown now may register a minute later.
					this.#answers.delete(address);
					if (error instanceof RelayError && error.status === 404) return null;
					if (error instanceof RelayError && error.kind === 'offline') {
						return this.#offline(address, error);
					}
					throw error;
				}
			);
			this.#answers.set(address, pending);
		}
		return pending;
	}

	/** Whether answers can be kept between sessions (offline errors then name the address). */
	get keepsAnswers(): boolean {
		return this.directoryCache !== undefined;
	}

	/** The last answer this device saw: public keys, so a stale one is no secret, and the
	 * relay still refuses mail for addresses that no longer exist when it is delivered. */
	async #offline(address: string, error: RelayError): Promise<LookupResponse> {
		const cached = await this.directoryCache?.get(address).catch(() => undefined);
		if (cached) return cached;
		throw error;
	}
}
