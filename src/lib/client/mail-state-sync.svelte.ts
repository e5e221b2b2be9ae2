// Keeps this device's folders and flags in step with the owner's other devices: each local
// change is applied at once, then sent as an entry encrypted (and signed) to the owner's own
// key; entries from the relay are decrypted and merged. Entries not signed by the owner's key
// are ignored, so the relay cannot forge a move to Trash. Unsent changes live in memory only.
import { LIMITS } from '../protocol/api';
import type { CryptoApi } from '../crypto/types';
import {
	StateLedger,
	decodeEntry,
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

	constructor(
		private readonly relay: RelayClient,
		private readonly crypto: CryptoApi,
		private readonly owner: StateOwner,
		private readonly guard: RelayGuard,
		/** Called for copies deleted for good, here or on another device. */
		private readonly ondeleted: (ref: CopyRef) => void
	) {}

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

	/** Sends what is pending and merges what other devices wrote; one run at a time. */
	sync(): Promise<void> {
		this.#syncing ??= this.#sync().finally(() => {
			this.#syncing = null;
		});
		return this.#syncing;
	}

	async #sync(): Promise<void> {
		try {
			// A change made during this run waits for the next one.
			await this.#push();
			await this.#pull();
			this.problem = null;
		} catch (error) {
			this.problem = error instanceof Error ? error.message : String(error);
		}
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
		for (;;) {
			const page = await this.guard(() => this.relay.listState(this.owner.address, this.#cursor));
			for (const { entry } of page.entries) await this.#read(entry);
			this.#entriesOnRelay += page.entries.length;
			this.#cursor = page.cursor;
			if (page.entries.length < LIMITS.listPage) break;
		}
		if (this.#entriesOnRelay > COMPACT_AFTER && this.#pending.length === 0) {
			await this.#append(this.#ledger.snapshot(), Number(this.#cursor));
			this.#entriesOnRelay = 1;
		}
	}

	async #read(entry: string): Promise<void> {
		try {
			const { text, signature } = await this.crypto.decryptAndVerify({
				message: entry,
				senderKeys: [this.owner.publicKey]
			});
			if (signature.state !== 'valid' || signature.signer !== this.owner.fingerprint) return;
			this.#apply(decodeEntry(text));
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
