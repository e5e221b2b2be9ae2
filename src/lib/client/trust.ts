// Which key belongs to whom: trust on first use, pinned per contact. The first key seen for an
// address is pinned; from then on a different key is a *change* the user must resolve, two keys
// are a *conflict* nobody resolves for them, and a fingerprint compared out of band makes the
// pin *verified*. A new key that the pinned key certifies is a *rotation*: still a change the
// user must accept, but one the old key vouched for. Framework-free: the browser keeps contacts in IndexedDB, the CLI in a JSON file.
import { LetterlockError, type ErrorFacts, type ErrorInit } from '../errors';

export type Trust = 'unverified' | 'verified' | 'changed' | 'rotated' | 'conflict' | 'revoked';

export interface ContactRecord {
	address: string;
	/** The pinned key: mail to this address is encrypted to it and to nothing else. */
	fingerprint: string;
	publicKey: string;
	verified: boolean;
	pinnedAt: string;
	verifiedAt: string | null;
	/** The name the user gave this contact on this device, if any. */
	name?: string;
}

export interface ContactStore {
	get(address: string): Promise<ContactRecord | undefined>;
	getAll(): Promise<ContactRecord[]>;
	put(record: ContactRecord): Promise<void>;
}

/** A key the directory serves now; `usable` is false when it is revoked or expired. */
export interface ServedKey {
	fingerprint: string;
	publicKey: string;
	usable: boolean;
	/** Carries a valid certification by the pinned key: the owner's old key vouches for it. */
	certifiedByPinned?: boolean;
}

export interface Assessment {
	trust: Trust;
	pinned: ContactRecord | null;
	served: ServedKey[];
	/** The key mail may be encrypted to without asking, or null when the user must decide. */
	key: { fingerprint: string; publicKey: string } | null;
}

type TrustFacts = Extract<ErrorFacts, { domain: 'trust' }>;

/** A fingerprint or key code that cannot be trusted as given, or a contact that is not one. */
export class TrustError extends LetterlockError<TrustFacts> {
	constructor(facts: ErrorInit<'trust'>) {
		super({ domain: 'trust', ...facts } as TrustFacts);
		this.name = 'TrustError';
	}
}

/** Uppercase hex without spaces or colons; null when it is not a v4 or v6 fingerprint. */
export function normaliseFingerprint(text: string): string | null {
	const hex = text.replace(/[\s:]/g, '').toUpperCase();
	return /^(?:[0-9A-F]{40}|[0-9A-F]{64})$/.test(hex) ? hex : null;
}

/** The trust state from what is pinned and what the directory serves now; pure. */
export function assess(pinned: ContactRecord | null, served: ServedKey[]): Assessment {
	const pinnedServed = pinned && served.find((key) => key.fingerprint === pinned.fingerprint);
	let trust: Trust;
	let key: Assessment['key'] = null;
	if (served.length > 1 && !(pinned?.verified && pinnedServed)) {
		// Several keys claim the address: only a key the user verified may be used.
		trust = 'conflict';
	} else if (pinned && served.length > 0 && !pinnedServed) {
		trust = served.length === 1 && served[0]!.certifiedByPinned ? 'rotated' : 'changed';
	} else {
		const chosen = pinned ?? served[0] ?? null;
		key = chosen && { fingerprint: chosen.fingerprint, publicKey: chosen.publicKey };
		trust = pinned?.verified ? 'verified' : 'unverified';
	}
	const used = key?.fingerprint;
	const usedServed = served.find((entry) => entry.fingerprint === used);
	if (usedServed && !usedServed.usable) {
		trust = 'revoked';
		key = null;
	}
	return { trust, pinned, served, key };
}

export class ContactBook {
	constructor(
		private readonly store: ContactStore,
		private readonly now: () => Date = () => new Date()
	) {}

	list(): Promise<ContactRecord[]> {
		return this.store.getAll();
	}

	get(address: string): Promise<ContactRecord | undefined> {
		return this.store.get(address);
	}

	/** Assesses the served keys against the pin, pinning the key on first use. */
	async assess(address: string, served: ServedKey[]): Promise<Assessment> {
		let pinned = (await this.store.get(address)) ?? null;
		if (!pinned && served.length === 1 && served[0]!.usable) {
			pinned = this.#record(address, served[0]!, false);
			await this.store.put(pinned);
		}
		return assess(pinned, served);
	}

	/** Marks `fingerprint` verified for `address`: it must be the pinned key or one the
	 * directory serves (which then replaces the pin). Anything else is refused. */
	async verify(address: string, fingerprintText: string, served: ServedKey[]) {
		const fingerprint = normaliseFingerprint(fingerprintText);
		if (!fingerprint) {
			throw new TrustError({ kind: 'not-a-fingerprint', params: { text: fingerprintText } });
		}
		const pinned = await this.store.get(address);
		const match =
			pinned?.fingerprint === fingerprint
				? pinned
				: served.find((key) => key.fingerprint === fingerprint);
		if (!match) {
			throw new TrustError({ kind: 'fingerprint-mismatch', params: { address } });
		}
		const record = { ...this.#record(address, match, true), name: pinned?.name };
		await this.store.put(record);
		return record;
	}

	/** Pins the key that replaced the pinned one, which the pinned key certified. Whether the
	 * contact counts as verified carries over: a verified key vouched for its successor. */
	async acceptRotation(address: string, served: ServedKey[]): Promise<ContactRecord> {
		const pinned = await this.store.get(address);
		const successor = served.length === 1 && served[0]!.certifiedByPinned ? served[0] : null;
		if (!pinned || !successor) {
			throw new TrustError({ kind: 'not-certified', params: { address } });
		}
		const record = { ...this.#record(address, successor, pinned.verified), name: pinned.name };
		await this.store.put(record);
		return record;
	}

	/** Names a contact on this device; an empty name removes it. */
	async rename(address: string, name: string): Promise<ContactRecord> {
		const record = await this.store.get(address);
		if (!record) {
			throw new TrustError({ kind: 'not-a-contact', params: { address } });
		}
		const named = { ...record, name: name.trim() || undefined };
		await this.store.put(named);
		return named;
	}

	#record(
		address: string,
		key: { fingerprint: string; publicKey: string },
		verified: boolean
	): ContactRecord {
		const at = this.now().toISOString();
		return {
			address,
			fingerprint: key.fingerprint,
			publicKey: key.publicKey,
			verified,
			pinnedAt: at,
			verifiedAt: verified ? at : null
		};
	}
}

/** Contacts in memory only: for tests and for clients without a place to keep them. */
export function memoryContactStore(): ContactStore {
	const rows = new Map<string, ContactRecord>();
	return {
		get: async (address) => rows.get(address),
		getAll: async () => [...rows.values()],
		put: async (record) => void rows.set(record.address, { ...record })
	};
}
