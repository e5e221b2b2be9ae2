// The background work of a session, started and stopped in one place. Unlocking starts every
// loop (outbox delivery, new-mail events, listing both folders, syncing folders and flags, the
// search index), on whatever page the person is; locking stops them all at once and tells the
// interface through one typed event, so that nothing a page started can outlive the key.
// Mail already queued when the key is locked is the one exception: it is still delivered
// (docs/DESIGN-DECISIONS.md, "Delivering without the key"), and that delivery stops by itself
// once nothing deliverable is left.
import type { Mailbox, MailboxEntry } from './mailbox.svelte';
import type { MailStateSync } from './mail-state-sync.svelte';
import type { OutboxRunner } from './outbox-runner.svelte';

/** What the session tells the interface; each listener gets the payload of its own type. */
export interface SessionEvents {
	/** The key is unlocked and every loop runs. */
	unlocked: { address: string };
	/** The key is locked (by hand or after inactivity): forget whatever was shown of the mail. */
	locked: { address: string | null };
	/** A message arrived in the inbox while unlocked, decrypted (or failed to be). */
	arrived: MailboxEntry;
}

export type SessionEventType = keyof SessionEvents;
export type SessionListener<K extends SessionEventType> = (event: SessionEvents[K]) => void;

/** The parts an unlocked session runs in the background. */
export interface UnlockedParts {
	address: string;
	mailbox: Mailbox;
	mailState: MailStateSync;
	outbox: OutboxRunner;
}

/** New mail (and changes made on other devices) show up within this long without a reload;
 * localStorage can shorten it (used by tests). */
const POLL_MS = 3000;
export const POLL_STORAGE_KEY = 'letterlock.pollMs';
/** While the relay's new-mail notices arrive, listing is only their fallback, so it is rare. */
const LIVE_POLL_MS = 60_000;

export class SessionLifecycle {
	#stops: Array<() => void> = [];
	#stopDrain: (() => void) | null = null;
	readonly #listeners: { [K in SessionEventType]: Set<SessionListener<K>> } = {
		unlocked: new Set(),
		locked: new Set(),
		arrived: new Set()
	};

	/** Listens to one kind of event; returns a function that stops listening. */
	on<K extends SessionEventType>(type: K, listener: SessionListener<K>): () => void {
		const listeners: Set<SessionListener<K>> = this.#listeners[type];
		listeners.add(listener);
		return () => listeners.delete(listener);
	}

	/** Starts every loop of an unlocked session (stopping any left from before). */
	start(parts: UnlockedParts): void {
		this.#stop();
		const { mailbox, mailState, outbox } = parts;
		mailbox.onArrival = (entry) => this.#emit('arrived', entry);
		this.#stops = [
			outbox.start(),
			mailbox.watch(),
			poll(mailbox, mailState),
			() => mailbox.close(),
			() => mailState.close()
		];
		// The stored search index first, then each message kept on the device is decrypted again.
		void mailbox.loadCached();
		this.#emit('unlocked', { address: parts.address });
	}

	/** Stops every loop, then tells the interface. */
	stop(address: string | null): void {
		this.#stop();
		this.#emit('locked', { address });
	}

	/** Delivers mail queued under a kept relay session while the key is locked, until none is
	 * left; unlocking takes over. */
	drain(outbox: OutboxRunner): void {
		this.#stopDrain?.();
		const stop = outbox.start({ untilDrained: () => (this.#stopDrain = null) });
		this.#stopDrain = stop;
	}

	#stop(): void {
		this.#stopDrain?.();
		this.#stopDrain = null;
		for (const stop of this.#stops.splice(0)) stop();
	}

	#emit<K extends SessionEventType>(type: K, event: SessionEvents[K]): void {
		const listeners: Set<SessionListener<K>> = this.#listeners[type];
		for (const listener of [...listeners]) listener(event);
	}
}

/** Lists both folders and syncs folders and flags at once and then on a timer; returns a stop. */
function poll(mailbox: Mailbox, mailState: MailStateSync): () => void {
	let lastListing = 0;
	const list = () => {
		lastListing = Date.now();
		void mailbox.refresh('inbox');
		void mailbox.refresh('sent');
	};
	list();
	void mailState.sync();
	const timer = setInterval(() => {
		if (!mailbox.live || Date.now() - lastListing >= LIVE_POLL_MS) list();
		// New-mail notices say nothing of folders and flags changed on other devices.
		void mailState.sync();
	}, pollMs());
	return () => clearInterval(timer);
}

function pollMs(): number {
	const override = Number(globalThis.localStorage?.getItem(POLL_STORAGE_KEY));
	return Number.isFinite(override) && override > 0 ? override : POLL_MS;
}
