// The outbox: messages already signed and encrypted, waiting to reach the relay. Sending
// writes here first, so a closed tab, a lost network or a restarted relay loses nothing.
// Only ciphertext and the envelope (sender, recipients) are stored, as the relay sees them.
import type { LocalDb } from './local-db';

/** The Background Sync tag under which the service worker delivers the outbox. */
export const SYNC_TAG = 'letterlock-outbox';
/** What the service worker posts to its pages after it changed the outbox. */
export const OUTBOX_CHANGED = 'letterlock-outbox-changed';

/** 'paused': the user stopped its upload; it waits for them to resume it. */
export type OutboxState = 'queued' | 'sending' | 'paused' | 'sent' | 'failed';

/** An attachment as the outbox needs it: the encrypted blocks to upload, in order. No name:
 * names, types and keys stay inside the encrypted message. */
export interface QueuedAttachment {
	blocks: { sha256: string; size: number }[];
}

/** What `Mailer.prepare` makes: everything delivery needs, with no key required. */
export interface PreparedMessage {
	/** The Message-ID; also the idempotency key, so a retry is never a second copy. */
	id: string;
	from: string;
	to: string[];
	/** Armored, signed, encrypted to every recipient and to the sender. */
	message: string;
	/** Proof-of-work stamps by recipient, computed before queueing (see client/stamps.ts). */
	stamps?: Record<string, string>;
	/** Attachments whose blocks wait in `outboxBlocks` and go to the relay before the message. */
	attachments?: QueuedAttachment[];
}

export interface OutboxItem extends PreparedMessage {
	state: OutboxState;
	queuedAt: string;
	attempts: number;
	/** ISO time before which no retry is made (backoff). */
	nextAttemptAt: string;
	/** Why the last attempt did not deliver, as a sentence; for 'failed', why it stopped. */
	problem: string | null;
	/** The relay's id for the stored message, once sent. */
	relayId: string | null;
	sentAt: string | null;
}

/** Sent items stay listed this long, so the outbox shows what just went out. */
const KEEP_SENT_MS = 24 * 60 * 60 * 1000;

export async function enqueue(db: LocalDb, prepared: PreparedMessage, now = new Date()) {
	const item: OutboxItem = {
		...prepared,
		state: 'queued',
		queuedAt: now.toISOString(),
		attempts: 0,
		nextAttemptAt: now.toISOString(),
		problem: null,
		relayId: null,
		sentAt: null
	};
	await db.outbox.put(item);
	return item;
}

/** Oldest first: mail goes out in the order it was written. */
export async function listOutbox(db: LocalDb, now = new Date()): Promise<OutboxItem[]> {
	const items = await db.outbox.getAll();
	const expired = items.filter(
		(item) => item.sentAt && now.getTime() - Date.parse(item.sentAt) > KEEP_SENT_MS
	);
	await Promise.all(expired.map((item) => db.outbox.delete(item.id)));
	return items
		.filter((item) => !expired.includes(item))
		.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

/** Still to be delivered (failed items wait for the user, so they do not count here). */
export function isWaiting(item: OutboxItem): boolean {
	return item.state === 'queued' || item.state === 'sending' || item.state === 'paused';
}

/** Whether an item of `from` (or of anyone) waits that a kept relay session can deliver without
 * the key: a paused one waits for its sender, one without a session for the next unlock. */
export async function deliverableWithoutKey(db: LocalDb, from?: string): Promise<boolean> {
	const senders = new Set(
		(await db.outbox.getAll())
			.filter((item) => isWaiting(item) && item.state !== 'paused')
			.filter((item) => from === undefined || item.from === from)
			.map((item) => item.from)
	);
	for (const sender of senders) if (await db.relaySessions.get(sender)) return true;
	return false;
}

/** Every block an item refers to, in order: what the message's `blocks` field lists. */
export function blocksOf(item: PreparedMessage): QueuedAttachment['blocks'] {
	return (item.attachments ?? []).flatMap((attachment) => attachment.blocks);
}

/** Makes every waiting item due now, e.g. when the network comes back. */
export async function makeDueNow(db: LocalDb, now = new Date()): Promise<void> {
	const items = (await db.outbox.getAll()).filter(
		(item) => isWaiting(item) && item.state !== 'paused'
	);
	await Promise.all(
		items.map((item) => db.outbox.put({ ...item, nextAttemptAt: now.toISOString() }))
	);
}
