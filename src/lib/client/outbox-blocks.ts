// Attachment blocks waiting in the outbox. Sending encrypts each block once (in the crypto
// worker) into IndexedDB's `outboxBlocks`, before anything leaves the device; delivery (page or
// service worker) then uploads them a few at a time and deletes each one as soon as the relay
// has it. What is left in the store is therefore exactly what still has to go: after a reload,
// a crash or a lost network, at most the blocks that were in flight are sent again, and a HEAD
// first spares even those when the relay had already received them.
import { BLOCKS_IN_FLIGHT, type BlockTransport } from './attachments';
import type { LocalDb, OutboxBlockRecord } from './local-db';
import { blocksOf, type OutboxItem } from './outbox';
import type { RelayClient } from './relay-client';

/** Blocks no outbox item refers to (a send that broke off while encrypting) go after this. */
const ORPHAN_AFTER_MS = 60 * 60 * 1000;

/** Where `sendAttachment` puts blocks when sending through the outbox: on this device. */
export function outboxBlockStore(db: LocalDb): Pick<BlockTransport, 'put'> {
	return {
		put: (hash, bytes) =>
			db.outboxBlocks.put({
				hash,
				bytes: new Blob([bytes as Uint8Array<ArrayBuffer>]),
				storedAt: new Date().toISOString()
			})
	};
}

/** The hashes of an item's blocks that are still on the device, i.e. not yet uploaded. */
export async function blocksLeft(db: LocalDb, item: OutboxItem): Promise<Set<string>> {
	const left = new Set<string>();
	for (const block of blocksOf(item)) {
		if (await db.outboxBlocks.get(block.sha256)) left.add(block.sha256);
	}
	return left;
}

/** Uploads what is left of an item's blocks, `BLOCKS_IN_FLIGHT` at a time. Returns 'stopped'
 * when the item was paused or cancelled meanwhile (blocks already in flight still finish). */
export async function uploadBlocks(
	db: LocalDb,
	relay: RelayClient,
	item: OutboxItem,
	onBlockSent: () => void
): Promise<'done' | 'stopped'> {
	const queue: OutboxBlockRecord[] = [];
	for (const block of blocksOf(item)) {
		const record = await db.outboxBlocks.get(block.sha256);
		if (record) queue.push(record);
	}
	let stopped = false;
	const stillWanted = async () => (await db.outbox.get(item.id))?.state === 'sending';
	async function uploader(): Promise<void> {
		while (!stopped && queue.length > 0) {
			if (!(await stillWanted())) {
				stopped = true;
				return;
			}
			const record = queue.shift()!;
			try {
				if (!(await relay.hasBlock(record.hash))) await relay.putBlock(record.hash, record.bytes);
			} catch (error) {
				// The others finish the block they carry and take no new one; the next attempt
				// starts from what is left in the store.
				stopped = true;
				throw error;
			}
			await db.outboxBlocks.delete(record.hash);
			onBlockSent();
		}
	}
	const results = await Promise.allSettled(Array.from({ length: BLOCKS_IN_FLIGHT }, uploader));
	const failure = results.find((result) => result.status === 'rejected');
	if (failure) throw failure.reason;
	return stopped ? 'stopped' : 'done';
}

/** Removes the blocks of an item that will not be sent (cancelled or discarded). */
export async function dropBlocks(db: LocalDb, item: OutboxItem): Promise<void> {
	await Promise.all(blocksOf(item).map((block) => db.outboxBlocks.delete(block.sha256)));
}

/** Frees the space of blocks no item refers to, once no send can still be preparing them. */
export async function sweepOrphanBlocks(db: LocalDb, now: Date): Promise<void> {
	const referenced = new Set(
		(await db.outbox.getAll()).flatMap((item) => blocksOf(item).map((block) => block.sha256))
	);
	const orphans = (await db.outboxBlocks.getAll()).filter(
		(record) =>
			!referenced.has(record.hash) && now.getTime() - Date.parse(record.storedAt) > ORPHAN_AFTER_MS
	);
	await Promise.all(orphans.map((record) => db.outboxBlocks.delete(record.hash)));
}
