// Delivers the outbox: the same code runs in the page and in the service worker. Delivery needs
// no key, only the ciphertext and a relay session token kept for the sender (see
// docs/DESIGN-DECISIONS.md, "Delivering without the key"). Each POST carries the item's idempotency key,
// so a retry after a lost answer gets the first answer back instead of storing a second copy.
import type { LocalDb, RelaySessionRecord } from './local-db';
import { blocksOf, isWaiting, type OutboxItem } from './outbox';
import { sweepOrphanBlocks, uploadBlocks } from './outbox-blocks';
import { RelayClient, RelayError } from './relay-client';
import { stampMessage } from './stamps';

export interface DeliveryOptions {
	/** The relay's origin ('' in the page: same origin). */
	relayBase: string;
	fetch?: typeof fetch;
	now?: () => Date;
	/** Deliver every waiting item now, ignoring backoff. */
	force?: boolean;
	/** Called after each change of an item, so a view can follow along. */
	onChange?: () => void;
}

export interface DeliveryResult {
	/** Senders whose token is missing, expired or refused: the page must sign in again. */
	needsSignIn: string[];
	/** Items still waiting for a retry (not counting those that wait for a sign-in). */
	retrying: number;
}

const FIRST_RETRY_MS = 2000;
const LONGEST_RETRY_MS = 60_000;
const WAITING_FOR_SIGN_IN = 'Waiting to sign in to the relay: unlock Letterlock to send it.';

/** Backoff before attempt `attempts + 1`: 2 s, 4 s, 8 s … at most a minute. */
export function retryDelay(attempts: number): number {
	return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

/** Network trouble, timeouts, rate limits and relay faults pass; anything else will not (a full
 * quota, 507, waits for the user too). */
function isTransient(error: unknown): boolean {
	if (!(error instanceof RelayError)) return true;
	if (error.status === 507) return false;
	return error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

/** One delivery run at a time per browser (page and service worker alike), where the browser
 * has Web Locks; elsewhere the idempotency key still keeps a doubled POST to one copy. */
function exclusively<T>(run: () => Promise<T>): Promise<T> {
	const locks = (globalThis.navigator as Navigator | undefined)?.locks;
	return locks ? locks.request('letterlock-outbox', run) : run();
}

export function deliverOutbox(db: LocalDb, options: DeliveryOptions): Promise<DeliveryResult> {
	return exclusively(() => deliverDue(db, options));
}

async function deliverDue(db: LocalDb, options: DeliveryOptions): Promise<DeliveryResult> {
	const now = options.now ?? (() => new Date());
	const needsSignIn = new Set<string>();
	let retrying = 0;
	const waiting = (await db.outbox.getAll())
		.filter(isWaiting)
		.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
	for (const item of waiting) {
		if (item.state === 'paused' || needsSignIn.has(item.from)) continue;
		if (!options.force && Date.parse(item.nextAttemptAt) > now().getTime()) {
			retrying += 1;
			continue;
		}
		const session = await db.relaySessions.get(item.from);
		if (!session || Date.parse(session.expiresAt) <= now().getTime()) {
			needsSignIn.add(item.from);
			await save(db, options, { ...item, state: 'queued', problem: WAITING_FOR_SIGN_IN });
			continue;
		}
		const outcome = await attempt(db, options, item, session, now);
		if (outcome === 'sign-in') needsSignIn.add(item.from);
		if (outcome === 'retry') retrying += 1;
	}
	await releaseDrainedSessions(db, options);
	await sweepOrphanBlocks(db, now());
	return { needsSignIn: [...needsSignIn], retrying };
}

async function attempt(
	db: LocalDb,
	options: DeliveryOptions,
	item: OutboxItem,
	session: RelaySessionRecord,
	now: () => Date
): Promise<'sent' | 'retry' | 'sign-in' | 'failed' | 'stopped'> {
	await save(db, options, { ...item, state: 'sending' });
	const relay = new RelayClient(options.relayBase, { fetch: options.fetch, token: session.token });
	try {
		// The message goes only once every block it refers to is on the relay.
		const uploaded = await uploadBlocks(db, relay, item, () => options.onChange?.());
		if (uploaded === 'stopped') return 'stopped';
		const blocks = blocksOf(item).map((block) => block.sha256);
		const answer = await sendStamped(relay, item, blocks, (stamps) => {
			item = { ...item, stamps };
			return save(db, options, { ...item, state: 'sending' });
		});
		const sentAt = now().toISOString();
		await save(db, options, { ...item, state: 'sent', relayId: answer.id, sentAt, problem: null });
		return 'sent';
	} catch (error) {
		if (error instanceof RelayError && error.status === 401) {
			// The token expired or was revoked; only the page, with the key, can get a new one.
			await db.relaySessions.delete(item.from);
			await save(db, options, { ...item, state: 'queued', problem: WAITING_FOR_SIGN_IN });
			return 'sign-in';
		}
		const problem = error instanceof Error ? error.message : String(error);
		if (!isTransient(error)) {
			await save(db, options, { ...item, state: 'failed', problem });
			return 'failed';
		}
		const attempts = item.attempts + 1;
		const nextAttemptAt = new Date(now().getTime() + retryDelay(attempts)).toISOString();
		await save(db, options, { ...item, state: 'queued', attempts, nextAttemptAt, problem });
		return 'retry';
	}
}

/** Sends the item; when the relay refuses its proof-of-work stamps (none were made because it
 * was written offline, or they expired while it waited) makes new ones and sends once more.
 * Stamps need no key, so this works in the service worker too. */
async function sendStamped(
	relay: RelayClient,
	item: OutboxItem,
	blocks: string[],
	keep: (stamps: Record<string, string> | undefined) => Promise<void>
) {
	try {
		return await relay.send(item.to, item.message, item.id, blocks, item.stamps);
	} catch (error) {
		if (!(error instanceof RelayError && error.kind.startsWith('stamp-'))) throw error;
		const stamps = await stampMessage(relay, item);
		await keep(stamps);
		return relay.send(item.to, item.message, item.id, blocks, stamps);
	}
}

/** Writes an item's new state, unless the user cancelled it meanwhile (it stays gone) or paused
 * it (it stays paused until they resume it). */
async function save(db: LocalDb, options: DeliveryOptions, item: OutboxItem): Promise<void> {
	const current = await db.outbox.get(item.id);
	if (!current) return;
	const paused = current.state === 'paused' && item.state !== 'sent';
	await db.outbox.put(paused ? { ...item, state: 'paused' } : item);
	options.onChange?.();
}

/** A token kept only for delivery after the key was locked is revoked once its mail is out. */
async function releaseDrainedSessions(db: LocalDb, options: DeliveryOptions): Promise<void> {
	const sessions = (await db.relaySessions.getAll()).filter((record) => record.releaseWhenDrained);
	if (sessions.length === 0) return;
	const waiting = (await db.outbox.getAll()).filter(isWaiting);
	for (const record of sessions) {
		if (waiting.some((item) => item.from === record.address)) continue;
		const relay = new RelayClient(options.relayBase, { fetch: options.fetch, token: record.token });
		// Unreachable now: the record goes anyway and the relay lets the session expire.
		await relay.logout().catch(() => undefined);
		await db.relaySessions.delete(record.address);
	}
}
