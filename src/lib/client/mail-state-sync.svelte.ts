// Keeps this device's folders and flags in step with the owner's other devices: each local
// change is applied at once, then sent as an entry encrypted (and signed) to the owner's own
// key; entries from the relay are decrypted and merged. Entries not signed by the owner's key
// are ignored, so the relay cannot forge a move to Trash. The device keeps its own copy (merged
// state, unsent changes, cursor) sealed the same way, so folders show and changes made offline
// survive before the relay answers.
import { LIMITS } from '../protocol/api';
import type { CryptoApi } from '../crypto/types';
import type { MailStateRecord, Table } from './local-db';
import {
	StateLedger,
	decodeDeviceCopy,
	decodeEntry,
	encodeDeviceCopy,
	encodeEntry,
	type CopyRef,
	type FlagChange,
	type Flags,
	type StampedChange
} from './mail-state';
import type { RelayGuard } from './mailbox.svelte';
import type { RelayClient } from './relay-client';

/** Once the relay holds more entries than this, one snapshot replaces them all. */
const COMPACT_AFTER = 100;

export interface StateOwner {
	address: string;
	publicKey: string;
	fingerprint: string;
}

export class MailStateSync {
	/** Bumped on every change, so views that read flags update. */
	version = $state(0);
	/** Why the last sync failed, as a sentence, or null. Local changes are kept meanwhile. */
	problem = $state<string | null>(null);
	readonly #ledger = new StateLedger();
	readonly #device = crypto.randomUUID();
	#pending: StampedChange[] = [];
	#cursor: string | undefined;
	#entriesOnRelay = 0;
	#syncing: Promise<void> | null = null;
	#loading: Promise<void>;
	/** Set on lock: a sync under way asks the relay nothing more. */
	#closed = false;

	constructor(
		private readonly relay: RelayClient,
		private readonly crypto: CryptoApi,
		private readonly owner: StateOwner,
		private readonly guard: RelayGuard,
		/** Called for copies deleted for good, here or on another device. */
		private readonly ondeleted: (ref: CopyRef) => void,
		private readonly store?: Table<MailStateRecord>
	) {
		this.#loading = this.#load();
	}

	flags(ref: CopyRef): Flags {
		void this.version;
		return this.#ledger.flags(ref);
	}

	/** Changes the copies here at once, then sends the change to the relay. */
	set(refs: CopyRef[], change: FlagChange): Promise<void> {
		if (refs.length === 0) return Promise.resolve();
		const at = this.#ledger.nextStamp(Date.now());
		const stamped = refs.map((ref) => ({
			copy: ref.copy,
			id: ref.id,
			at,
			device: this.#device,
			...change
		}));
		this.#apply(stamped);
		this.#pending.push(...stamped);
		return this.sync();
	}

	/** Called on lock (see session-lifecycle.ts). */
	close(): void {
		this.#closed = true;
	}

	/** Sends what is pending and merges what other devices wrote; one run at a time. */
	sync(): Promise<void> {
		if (this.#closed) return Promise.resolve();
		this.#syncing ??= this.#sync().finally(() => {
			this.#syncing = null;
		});
		return this.#syncing;
	}

	async #sync(): Promise<void> {
		await this.#loading;
		try {
			// A change made during this run waits for the next one.
			await this.#push();
			await this.#pull();
			this.problem = null;
		} catch (error) {
			this.problem = error instanceof Error ? error.message : String(error);
		}
		await this.#save();
	}

	async #load(): Promise<void> {
		try {
			const record = await this.store?.get(this.owner.address);
			const text = record && (await this.#open(record.sealed));
			if (!record || !text) return;
			const { settled, pending } = decodeDeviceCopy(text);
			this.#apply([...settled, ...pending]);
			this.#pending.unshift(...pending);
			this.#cursor = record.cursor ?? undefined;
		} catch {
			// A copy this device cannot read: the relay's log rebuilds it.
		}
	}

	async #save(): Promise<void> {
		if (!this.store) return;
		try {
			const sealed = await this.crypto.encryptAndSign({
				text: encodeDeviceCopy(this.#ledger.snapshot(), this.#pending),
				recipientKeys: []
			});
			await this.store.put({
				address: this.owner.address,
				sealed,
				cursor: this.#cursor ?? null,
				// A timestamp string, not reactive state: the rule does not apply.
				// eslint-disable-next-line svelte/prefer-svelte-reactivity
				updatedAt: new Date().toISOString()
			});
		} catch {
			// Not saved this time (locked meanwhile, or storage full): the next sync tries again.
		}
	}

	/** The text of something sealed to the owner's key by the owner; undefined otherwise. */
	async #open(sealed: string): Promise<string | undefined> {
		const { text, signature } = await this.crypto.decryptAndVerify({
			message: sealed,
			senderKeys: [this.owner.publicKey]
		});
		return signature.state === 'valid' && signature.signer === this.owner.fingerprint
			? text
			: undefined;
	}

	async #push(): Promise<void> {
		const batch = [...this.#pending];
		if (batch.length === 0) return;
		await this.#append(batch);
		this.#pending.splice(0, batch.length);
	}

	async #append(changes: StampedChange[], compactThrough?: number): Promise<void> {
		// No recipient keys: the engine encrypts to our own key only, and signs.
		const entry = await this.crypto.encryptAndSign({
			text: encodeEntry(changes),
			recipientKeys: []
		});
		await this.guard(() => this.relay.appendState(this.owner.address, entry, compactThrough));
		this.#entriesOnRelay += 1;
	}

	async #pull(): Promise<void> {
		while (!this.#closed) {
			const page = await this.guard(() => this.relay.listState(this.owner.address, this.#cursor));
			for (const { entry } of page.entries) await this.#read(entry);
			this.#entriesOnRelay += page.entries.length;
			this.#cursor = page.cursor;
			if (page.entries.length < LIMITS.listPage) break;
		}
		if (this.#closed) return;
		if (this.#entriesOnRelay > COMPACT_AFTER && this.#pending.length === 0) {
			await this.#append(this.#ledger.snapshot(), Number(this.#cursor));
			this.#entriesOnRelay = 1;
		}
	}

	async #read(entry: string): Promise<void> {
		try {
			const text = await this.#open(entry);
			if (text !== undefined) this.#apply(decodeEntry(text));
		} catch {
			// An entry this device cannot read (damaged, or from a newer app) changes nothing.
		}
	}

	#apply(changes: StampedChange[]): void {
		const touched = this.#ledger.apply(changes);
		if (touched.length === 0) return;
		this.version += 1;
		for (const ref of touched) if (this.#ledger.flags(ref).deleted) this.ondeleted(ref);
	}
}
