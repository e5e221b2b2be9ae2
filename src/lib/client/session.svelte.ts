// The app's state: which identity this device holds, whether its key is unlocked, and the
// relay session that goes with it. Locking (by hand or after inactivity) drops all of it, and
// the background loops start and stop with it (session-lifecycle.ts).
import type { CryptoApi } from '../crypto/types';
import { normaliseAddress } from '../protocol/address';
import * as keystore from './keystore';
import * as ownKey from './own-key';
import { ListBook } from './list-pins';
import { contactStore, directoryCache, listPinStore, localDb } from './local-db';
import { Mailbox } from './mailbox.svelte';
import { MailStateSync } from './mail-state-sync.svelte';
import { Mailer, type AddressWithKey, type OutgoingMail } from './mailer';
import { deliverableWithoutKey, isWaiting } from './outbox';
import { outboxBlockStore } from './outbox-blocks';
import { OutboxRunner } from './outbox-runner.svelte';
import { RelayError, type RelayClient } from './relay-client';
import { mintInWorker } from './stamp-worker-client';
import { stampMessage, type StampOptions } from './stamps';
import { SearchStore } from './search-store';
import { SessionLifecycle, type SessionEventType, type SessionListener } from './session-lifecycle';
import { openSealingSecret } from './sealing-key';
import { SummaryStore } from './summary-store';
import { ContactBook, type Trust } from './trust';

export type { Trust } from './trust';

/** Auto-lock after this long without input; localStorage can shorten it (used by tests). */
export const DEFAULT_AUTOLOCK_MS = 15 * 60 * 1000;
export const AUTOLOCK_STORAGE_KEY = 'letterlock.autolockMs';
/** A kept relay session is taken up on unlock only with at least this long left to run. */
const RESUME_MARGIN_MS = 10 * 60 * 1000;

export class Session {
	/** The identity stored on this device, once `load` has run. */
	identity = $state<keystore.StoredIdentity | null>(null);
	loaded = $state(false);
	unlocked = $state(false);
	mailbox = $state<Mailbox | null>(null);
	/** Folders and flags, synced encrypted through the relay (see mail-state.ts). */
	mailState = $state<MailStateSync | null>(null);
	mailer: Mailer | null = null;
	readonly outbox: OutboxRunner;
	readonly #lifecycle = new SessionLifecycle();
	#crypto: CryptoApi | null = null;
	#lockTimer: ReturnType<typeof setTimeout> | null = null;

	constructor(
		private readonly makeCrypto: () => CryptoApi,
		readonly relay: RelayClient
	) {
		this.outbox = new OutboxRunner((address) => this.#signInFor(address), relay.base);
	}

	/** Listens to the session's events (unlocked, locked, new mail); returns a stop. */
	on<K extends SessionEventType>(type: K, listener: SessionListener<K>): () => void {
		return this.#lifecycle.on(type, listener);
	}

	/** The engine starts on first use, so pages that never need it never load OpenPGP. */
	get crypto(): CryptoApi {
		this.#crypto ??= this.makeCrypto();
		return this.#crypto;
	}

	/** Starts the engine ahead of use (the unlock screen does while the passphrase is typed). */
	startCrypto(): void {
		this.#crypto ??= this.makeCrypto();
	}

	async load(): Promise<void> {
		if (this.loaded) return;
		this.identity = (await keystore.list())[0] ?? null;
		this.loaded = true;
		// Mail queued before the tab closed goes out now, key or not.
		if (await deliverableWithoutKey(await localDb())) this.#lifecycle.drain(this.outbox);
	}

	async create(
		input: { name: string; address: string; passphrase: string },
		progress: (step: string) => void
	): Promise<void> {
		const address = normaliseAddress(input.address);
		progress('Making your key… this takes a moment.');
		const generated = await this.crypto.generateIdentity({ ...input, address });
		progress('Registering your address with the relay…');
		await this.relay.register(address, generated.publicKey);
		progress('Saving your key on this device…');
		const identity = keystore.identityRecord(generated, location.origin);
		await keystore.save(identity);
		this.identity = identity;
		progress('Signing in…');
		await this.unlock(input.passphrase);
		// The key now lives only here: ask the browser not to evict this site's storage.
		await navigator.storage?.persist?.().catch(() => false);
	}

	/** Unlocks the key in the worker and signs in to the relay with it; throws a sentence. */
	async unlock(passphrase: string): Promise<void> {
		const identity = this.identity;
		if (!identity) throw new Error('There is no key on this device yet.');
		await this.crypto.unlock({
			lockedPrivateKey: identity.lockedPrivateKey,
			passphrase,
			previousLockedKeys: identity.previousLockedKeys
		});
		try {
			// Signing in costs two round trips (seconds on Tor) before the inbox could show what is
			// already on this device; a session kept from the last visit saves them (see #resume).
			if (!(await this.#resume(identity.address))) await this.#login();
		} catch (error) {
			// The passphrase is checked on this device, so mail can be read and written offline;
			// the first relay call once it is back signs in (see #guard).
			if (!(error instanceof RelayError && error.kind === 'offline')) {
				await this.crypto.lock();
				throw error;
			}
		}
		const db = await localDb();
		const mailer = new Mailer(
			this.relay,
			this.crypto,
			identity,
			directoryCache(db),
			new ContactBook(contactStore(db)),
			new ListBook(listPinStore(db))
		);
		this.mailer = mailer;
		// One OpenPGP decryption opens what is sealed on the device: the search index and the
		// list's summaries. Without the secret both are rebuilt in memory only, from the mail.
		const secret = await openSealingSecret(db.searchKeys, this.crypto, identity).catch(() => null);
		const mailbox = new Mailbox(
			this.relay,
			mailer,
			identity.address,
			(call) => this.#guard(call),
			db.mail,
			secret ? await SearchStore.withSecret(db.searchEntries, identity.address, secret) : undefined,
			secret ? await SummaryStore.withSecret(db.summaries, identity.address, secret) : undefined
		);
		this.mailbox = mailbox;
		const mailState = new MailStateSync(
			this.relay,
			this.crypto,
			identity,
			(call) => this.#guard(call),
			(ref) => mailbox.forget(ref.copy, ref.id),
			db.mailState
		);
		this.mailState = mailState;
		this.unlocked = true;
		this.touch();
		this.#lifecycle.start({
			address: identity.address,
			mailbox,
			mailState,
			outbox: this.outbox
		});
		// Catches up with verifications made while the relay was unreachable.
		void this.publishAllowList();
	}

	/** Sends the verified contacts to the relay's allow-list; best effort, as the next unlock
	 * sends it again. */
	async publishAllowList(): Promise<void> {
		const mailer = this.mailer;
		if (!mailer) return;
		await this.#guard(() => mailer.publishAllowList()).catch(() => undefined);
	}

	async lock(): Promise<void> {
		this.#clearTimer();
		const address = this.identity?.address;
		this.#lifecycle.stop(address ?? null);
		this.unlocked = false;
		this.mailbox = null;
		this.mailState = null;
		this.mailer = null;
		await this.crypto.lock();
		const db = await localDb();
		const queued = (await db.outbox.getAll()).some(
			(item) => isWaiting(item) && item.from === address
		);
		const kept = address ? await db.relaySessions.get(address) : undefined;
		if (queued && kept) {
			// Queued mail still goes out after locking; the token is revoked once it has.
			await db.relaySessions.put({ ...kept, releaseWhenDrained: true });
			this.relay.token = null;
			this.#lifecycle.drain(this.outbox);
			return;
		}
		if (address) await db.relaySessions.delete(address);
		await this.relay.logout().catch(() => {
			// The relay may be unreachable; its session then simply expires on its own.
			this.relay.token = null;
		});
	}

	/** Called on any user input: pushes the auto-lock back. */
	touch(): void {
		if (!this.unlocked) return;
		this.#clearTimer();
		this.#lockTimer = setTimeout(() => void this.lock(), autolockMs());
	}

	/** How much to trust the key shown next to an address. */
	trustOf(entry: AddressWithKey): Trust {
		if (entry.conflict) return 'conflict';
		if (this.identity && entry.address === this.identity.address) {
			// Our own key was made on this device; any other key for our address is an impostor.
			return entry.fingerprint === this.identity.fingerprint ? 'verified' : 'changed';
		}
		return entry.trust ?? (entry.conflict ? 'conflict' : 'unverified');
	}

	/** Encrypts the message into the outbox and tries to deliver it at once; returns the
	 * outbox item, whose state says whether it is already sent or still waiting. Attachments
	 * are encrypted block by block onto this device first (`onEncrypted` follows along) and
	 * uploaded by the outbox before the message. The proof-of-work stamps recipients who do not
	 * know us need are computed in a worker (`stamping` reports progress and cancels). */
	async send(
		input: OutgoingMail,
		follow: { stamping?: StampOptions; onEncrypted?: (plainBytes: number) => void } = {}
	) {
		const mailer = this.mailer;
		if (!mailer) throw new Error('Your key is locked. Unlock it to send.');
		const store = outboxBlockStore(await localDb());
		const prepared = await mailer.prepareWithAttachments(input, store, follow.onEncrypted);
		const stamps = await this.#guard(() =>
			stampMessage(this.relay, prepared, { mint: mintInWorker, ...follow.stamping })
		);
		return this.outbox.add(stamps ? { ...prepared, stamps } : prepared);
	}

	/** Creates the mailing list `address` on our relay (we own it) or replaces its members. */
	saveList(address: string, members: string[]) {
		return this.#guard(() => this.relay.putList(address, members));
	}

	/** The members of the list `address`, or null when the relay has no such list. */
	findList(address: string) {
		return this.#guard(() => this.relay.getList(address));
	}

	/** The lists that name us: invitations to answer, and lists we are on. */
	listMemberships() {
		return this.#guard(() => this.relay.memberships());
	}

	/** Accepts or declines (or leaves) the list `address`. */
	answerList(address: string, status: 'accepted' | 'declined') {
		return this.#guard(() => this.relay.answerList(address, status));
	}

	/** Our key valid for two more years, published and kept. */
	extendKey(): Promise<void> {
		return this.#changeOwnKey((identity, publish) => ownKey.extend(this.crypto, identity, publish));
	}

	/** A new key certified by the current one; the passphrase locks it as it locks the old one. */
	rotateKey(passphrase: string): Promise<void> {
		return this.#changeOwnKey((identity, publish) =>
			ownKey.rotate(this.crypto, identity, passphrase, publish)
		);
	}

	/** Publishes the revocation of our key: nobody can write to it any more. */
	revokeKey(): Promise<void> {
		return this.#changeOwnKey((identity, publish) => ownKey.revoke(this.crypto, identity, publish));
	}

	async #changeOwnKey(
		change: (
			identity: keystore.StoredIdentity,
			publish: ownKey.Publish
		) => Promise<keystore.StoredIdentity>
	): Promise<void> {
		// A plain copy: IndexedDB cannot store the reactive proxy.
		const identity = this.identity && $state.snapshot(this.identity);
		if (!identity || !this.unlocked) throw new Error('Your key is locked. Unlock it first.');
		const next = await change(identity, (publicKey) =>
			this.#guard(() => this.relay.publishKey(identity.address, publicKey))
		);
		await keystore.save(next);
		this.identity = next;
		void this.mailer?.lookup(identity.address, true).catch(() => null);
	}

	async #login(): Promise<void> {
		const address = this.identity?.address;
		if (!address) return;
		const session = await this.relay.login(address, (challenge) =>
			this.crypto.signLogin(challenge)
		);
		// Kept on the device so the outbox can be delivered by the service worker or a locked page.
		const db = await localDb();
		await db.relaySessions.put({
			address,
			token: session.token,
			expiresAt: session.expiresAt,
			releaseWhenDrained: false
		});
	}

	/** Takes up the session this device kept for `address` (the tab was closed, not locked) while
	 * it has a while to run. If the relay has ended it meanwhile, its 401 signs in (see #guard). */
	async #resume(address: string): Promise<boolean> {
		const kept = await (await localDb()).relaySessions.get(address);
		if (!kept || kept.releaseWhenDrained) return false;
		if (Date.parse(kept.expiresAt) - Date.now() < RESUME_MARGIN_MS) return false;
		this.relay.token = kept.token;
		return true;
	}

	/** The outbox needs a new token for `address`: only possible while its key is unlocked. */
	async #signInFor(address: string): Promise<boolean> {
		if (!this.unlocked || this.identity?.address !== address) return false;
		await this.#login();
		return true;
	}

	async #guard<T>(call: () => Promise<T>): Promise<T> {
		try {
			return await call();
		} catch (error) {
			if (!(error instanceof RelayError && error.status === 401) || !this.unlocked) throw error;
			await this.#login();
			return call();
		}
	}

	#clearTimer(): void {
		if (this.#lockTimer) clearTimeout(this.#lockTimer);
		this.#lockTimer = null;
	}
}

function autolockMs(): number {
	const override = Number(globalThis.localStorage?.getItem(AUTOLOCK_STORAGE_KEY));
	return Number.isFinite(override) && override > 0 ? override : DEFAULT_AUTOLOCK_MS;
}
