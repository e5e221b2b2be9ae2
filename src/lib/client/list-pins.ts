// Who a mailing list reaches, pinned on first use like a key (trust.ts). The relay answers who
// the members of a list are, and a letter to the list is encrypted to each of them, so a relay
// that slips in a member adds a reader. The first membership the sender writes to is kept on
// this device; from then on any other answer (a member added or removed, or the address no
// longer a list) stops sending until the sender has looked at the new members and accepted them.
// Framework-free: the browser keeps these in IndexedDB, the CLI in a JSON file.

export interface ListPinRecord {
	/** The list's address. */
	address: string;
	/** The members written to last, normalised and sorted. */
	members: string[];
	pinnedAt: string;
}

export interface ListPinStore {
	get(address: string): Promise<ListPinRecord | undefined>;
	put(record: ListPinRecord): Promise<void>;
	delete(address: string): Promise<void>;
}

/** How a list's membership differs from the one kept on this device. `members` is null when
 * the address is no longer a list at all (the relay now serves a key for it). */
export interface ListChange {
	address: string;
	added: string[];
	removed: string[];
	members: string[] | null;
}

/** The change from `pinned` to `members` (null: not a list any more), or null when none. */
export function listChange(pinned: ListPinRecord, members: string[] | null): ListChange | null {
	const now = new Set(members ?? []);
	const before = new Set(pinned.members);
	const added = [...now].filter((member) => !before.has(member)).sort();
	const removed = pinned.members.filter((member) => !now.has(member));
	if (members !== null && added.length === 0 && removed.length === 0) return null;
	return { address: pinned.address, added, removed, members };
}

export class ListBook {
	constructor(
		private readonly store: ListPinStore,
		private readonly now: () => Date = () => new Date()
	) {}

	get(address: string): Promise<ListPinRecord | undefined> {
		return this.store.get(address);
	}

	/** Keeps `members` as the list's membership: on first use, or when the sender accepted a
	 * change after seeing it. `null` forgets the list (the address is no list any more). */
	async pin(address: string, members: string[] | null): Promise<void> {
		if (members === null) {
			await this.store.delete(address);
			return;
		}
		await this.store.put({
			address,
			members: [...new Set(members)].sort(),
			pinnedAt: this.now().toISOString()
		});
	}
}

/** List pins in memory only: for tests and for clients without a place to keep them. */
export function memoryListPinStore(): ListPinStore {
	const rows = new Map<string, ListPinRecord>();
	return {
		get: async (address) => rows.get(address),
		put: async (record) => void rows.set(record.address, { ...record }),
		delete: async (address) => void rows.delete(address)
	};
}
