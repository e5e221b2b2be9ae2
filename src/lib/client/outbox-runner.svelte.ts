// The page's side of the outbox: it keeps a live view of the queue for the outbox page and the
// badge, and delivers from the page on every occasion (after a send, when the network comes
// back, on a timer that respects each item's backoff). The service worker delivers too, through
// Background Sync where the browser has it; both take the same Web Lock, and the idempotency
// key makes even a doubled attempt one copy.
import { localDb } from './local-db';
import {
	OUTBOX_CHANGED,
	SYNC_TAG,
	deliverableWithoutKey,
	enqueue,
	isWaiting,
	listOutbox,
	makeDueNow,
	type OutboxItem,
	type PreparedMessage
} from './outbox';
import { blocksLeft, dropBlocks } from './outbox-blocks';
import { deliverOutbox } from './outbox-delivery';
import { TransferMeter, type TransferFigures } from './transfer-meter';

/** How far an item's attachments have reached the relay: in all, and per file in order. */
export interface UploadProgress {
	message: TransferFigures;
	files: TransferFigures[];
}

/** How often the page looks for items whose backoff has run out. */
const TICK_MS = 3000;

/** Background Sync is not in TypeScript's DOM library yet. */
interface SyncRegistration extends ServiceWorkerRegistration {
	sync?: { register(tag: string): Promise<void> };
}

export class OutboxRunner {
	items = $state<OutboxItem[]>([]);
	online = $state(true);
	/** Items still to deliver (failed ones wait for the user and are counted apart). */
	waiting = $derived(this.items.filter(isWaiting).length);
	failed = $derived(this.items.filter((item) => item.state === 'failed').length);
	/** The ids of the items the current run started with, to show "2 of 3 sent". */
	batch = $state<string[]>([]);
	/** While a run is under way: how many of the items it started with are sent so far. */
	progress = $derived.by(() => {
		if (this.batch.length === 0) return null;
		const sent = this.batch.filter(
			(id) => this.items.find((item) => item.id === id)?.state === 'sent'
		).length;
		return { sent, total: this.batch.length };
	});
	/** Per item with attachments still to upload: bytes on the relay, rate, time left. */
	uploads = $state<Record<string, UploadProgress>>({});
	#meters: Record<string, TransferMeter[]> = {};
	#running: Promise<void> | null = null;
	#next: Promise<void> | null = null;

	/** `signIn` gets a fresh relay token for an address, or says (false) that it cannot now;
	 * `relayBase` is the relay's origin ('' in the page: same origin). */
	constructor(
		private readonly signIn: (address: string) => Promise<boolean>,
		private readonly relayBase = ''
	) {}

	/** Follows whether the browser is online, for the banner; asks the relay nothing. */
	watchNetwork(): () => void {
		this.online = globalThis.navigator?.onLine ?? true;
		const online = () => (this.online = true);
		const offline = () => (this.online = false);
		// Missing outside a browser (the client core also runs in Node).
		globalThis.addEventListener?.('online', online);
		globalThis.addEventListener?.('offline', offline);
		return () => {
			globalThis.removeEventListener?.('online', online);
			globalThis.removeEventListener?.('offline', offline);
		};
	}

	/** Delivers now, then when the network comes back and on a timer; returns a function that
	 * stops it. With `untilDrained` it stops by itself (and calls it) once nothing is left that
	 * could be delivered without signing in: what runs after the key is locked. */
	start(options: { untilDrained?: () => void } = {}): () => void {
		let stopped = false;
		const online = () => void this.retryNow().then(settle);
		const fromWorker = (event: MessageEvent) => {
			if (event.data === OUTBOX_CHANGED) void this.refresh();
		};
		const worker = globalThis.navigator?.serviceWorker;
		const stop = () => {
			if (stopped) return;
			stopped = true;
			globalThis.removeEventListener?.('online', online);
			worker?.removeEventListener('message', fromWorker);
			clearInterval(timer);
		};
		const settle = async () => {
			if (stopped || !options.untilDrained) return;
			if (await deliverableWithoutKey(await localDb())) return;
			stop();
			options.untilDrained();
		};
		globalThis.addEventListener?.('online', online);
		worker?.addEventListener('message', fromWorker);
		const timer = setInterval(() => void this.deliver().then(settle), TICK_MS);
		void this.deliver().then(settle);
		return stop;
	}

	/** Queues a prepared message and tries to deliver it at once; returns its state after. */
	async add(prepared: PreparedMessage): Promise<OutboxItem> {
		const db = await localDb();
		const item = await enqueue(db, prepared);
		await this.refresh();
		void requestBackgroundSync();
		const delivering = this.deliver();
		// Attachments take a while: the caller shows the upload's progress instead of waiting.
		if (prepared.attachments?.length) return item;
		await delivering;
		return (await db.outbox.get(item.id)) ?? item;
	}

	/** Concurrent calls share one run; a call during a run gets one more run after it, since
	 * the run under way read the queue before the call (a message just added is not in it). */
	deliver(): Promise<void> {
		if (!this.#running) {
			this.#running = this.#run().finally(() => (this.#running = null));
			return this.#running;
		}
		this.#next ??= this.#running
			.catch(() => undefined)
			.then(() => {
				this.#next = null;
				return this.deliver();
			});
		return this.#next;
	}

	/** Forgets every backoff and delivers now (the network is back, or the user asked). */
	async retryNow(): Promise<void> {
		await makeDueNow(await localDb());
		await this.deliver();
	}

	/** Stops an upload after the blocks in flight; what is on the relay stays there. */
	async pause(id: string): Promise<void> {
		await this.#update(id, (item) => (isWaiting(item) ? { ...item, state: 'paused' } : item));
	}

	async resume(id: string): Promise<void> {
		await this.#update(id, (item) =>
			item.state === 'paused' ? { ...item, state: 'queued', nextAttemptAt: item.queuedAt } : item
		);
		await this.deliver();
	}

	/** Removes the item and the blocks it still had to upload (cancel, or discard when failed). */
	async discard(id: string): Promise<void> {
		const db = await localDb();
		const item = await db.outbox.get(id);
		await db.outbox.delete(id);
		if (item) await dropBlocks(db, item);
		await this.refresh();
	}

	async refresh(): Promise<void> {
		const db = await localDb();
		const items = await listOutbox(db);
		const uploads: Record<string, UploadProgress> = {};
		for (const item of items) {
			if (!item.attachments?.length || !isWaiting(item)) continue;
			const left = await blocksLeft(db, item);
			const meters = (this.#meters[item.id] ??= [
				new TransferMeter(),
				...item.attachments.map(() => new TransferMeter())
			]);
			const measure = (blocks: { sha256: string; size: number }[], meter: TransferMeter) =>
				meter.update(
					blocks.reduce((sum, block) => sum + (left.has(block.sha256) ? 0 : block.size), 0),
					blocks.reduce((sum, block) => sum + block.size, 0)
				);
			uploads[item.id] = {
				message: measure(
					item.attachments.flatMap((attachment) => attachment.blocks),
					meters[0]!
				),
				files: item.attachments.map((attachment, index) =>
					measure(attachment.blocks, meters[index + 1]!)
				)
			};
		}
		this.items = items;
		this.uploads = uploads;
	}

	async #update(id: string, change: (item: OutboxItem) => OutboxItem): Promise<void> {
		const db = await localDb();
		const item = await db.outbox.get(id);
		if (item) await db.outbox.put(change(item));
		await this.refresh();
	}

	async #run(): Promise<void> {
		const db = await localDb();
		await this.refresh();
		this.batch = this.items.filter(isWaiting).map((item) => item.id);
		const onChange = () => void this.refresh();
		const result = await deliverOutbox(db, { relayBase: this.relayBase, onChange });
		let signedIn = false;
		for (const address of result.needsSignIn) {
			if (await this.signIn(address).catch(() => false)) signedIn = true;
		}
		if (signedIn) {
			await deliverOutbox(db, { relayBase: this.relayBase, onChange, force: true });
		}
		await this.refresh();
		this.batch = [];
	}
}

/** Lets the service worker deliver even after this tab is closed, where the browser can. */
async function requestBackgroundSync(): Promise<void> {
	const worker = globalThis.navigator?.serviceWorker;
	if (!worker) return;
	const registration = (await worker.getRegistration()) as SyncRegistration | undefined;
	await registration?.sync?.register(SYNC_TAG).catch(() => undefined);
}
