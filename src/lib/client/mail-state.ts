// Folders and flags of each message, as a set of changes merged last-writer-wins per message and
// field. The changes travel through the relay only inside entries encrypted to the owner's own
// key (docs/PROTOCOL.md, Mail state), so any device of the owner can merge them and the relay
// learns nothing but how many entries there are and when.
import * as v from 'valibot';
import type { Folder } from '../protocol/api';

/** Where a message is shown. Inbox and Sent are where the relay filed it, until moved. */
export const MAIL_FOLDERS = ['inbox', 'sent', 'archive', 'trash'] as const;
export type MailFolder = (typeof MAIL_FOLDERS)[number];

export interface Flags {
	folder: MailFolder;
	read: boolean;
	starred: boolean;
	/** Deleted for good ("Empty trash"): no longer on the relay, never shown again. */
	deleted: boolean;
}
export type FlagName = keyof Flags;

/** One copy of a message: the relay folder it was delivered to and its id. Mail to oneself has
 * two copies (Inbox and Sent) that move independently. */
export interface CopyRef {
	copy: Folder;
	id: string;
}

const Change = v.variant('field', [
	v.object({ field: v.literal('folder'), value: v.picklist(MAIL_FOLDERS) }),
	v.object({ field: v.picklist(['read', 'starred', 'deleted']), value: v.boolean() })
]);
const StampedChange = v.intersect([
	v.object({
		copy: v.picklist(['inbox', 'sent']),
		id: v.pipe(v.string(), v.maxLength(64)),
		/** Milliseconds; never less than one more than the newest change the writer had seen. */
		at: v.pipe(v.number(), v.integer(), v.minValue(0)),
		/** Breaks ties between two devices that wrote at the same millisecond. */
		device: v.pipe(v.string(), v.maxLength(64))
	}),
	Change
]);
export type StampedChange = v.InferOutput<typeof StampedChange>;
export type FlagChange = v.InferOutput<typeof Change>;

const StateEntryText = v.object({
	format: v.literal('letterlock-mail-state'),
	v: v.literal(1),
	changes: v.array(StampedChange)
});

export function encodeEntry(changes: StampedChange[]): string {
	return JSON.stringify({ format: 'letterlock-mail-state', v: 1, changes });
}

/** The changes of a decrypted entry; throws when it is not one. */
export function decodeEntry(text: string): StampedChange[] {
	return v.parse(StateEntryText, JSON.parse(text)).changes;
}

const DeviceCopyText = v.object({
	format: v.literal('letterlock-mail-state-device'),
	v: v.literal(1),
	settled: v.array(StampedChange),
	pending: v.array(StampedChange)
});

/** This device's copy: the merged state, and the changes the relay has not taken yet. */
export function encodeDeviceCopy(settled: StampedChange[], pending: StampedChange[]): string {
	return JSON.stringify({ format: 'letterlock-mail-state-device', v: 1, settled, pending });
}

export function decodeDeviceCopy(text: string): {
	settled: StampedChange[];
	pending: StampedChange[];
} {
	const { settled, pending } = v.parse(DeviceCopyText, JSON.parse(text));
	return { settled, pending };
}

export const copyKey = (ref: CopyRef): string => `${ref.copy} ${ref.id}`;

function defaults(copy: Folder): Flags {
	// What one sent was read by writing it.
	return { folder: copy, read: copy === 'sent', starred: false, deleted: false };
}

const newer = (a: StampedChange, b: StampedChange | undefined): boolean =>
	!b || a.at > b.at || (a.at === b.at && a.device > b.device);

/** The merged state: for every copy and field, the newest change wins, in any order of arrival. */
export class StateLedger {
	#latest = new Map<string, StampedChange>();
	/** Copies with any change: the others have their defaults, found without four lookups
	 * (the mail list asks for every copy's flags, 100,000 at a time). */
	readonly #changed = new Set<string>();
	#highest = 0;

	/** Applies changes; returns the copies whose state changed. */
	apply(changes: StampedChange[]): CopyRef[] {
		const touched = new Map<string, CopyRef>();
		for (const change of changes) {
			const key = `${copyKey(change)} ${change.field}`;
			this.#highest = Math.max(this.#highest, change.at);
			if (!newer(change, this.#latest.get(key))) continue;
			this.#latest.set(key, change);
			this.#changed.add(copyKey(change));
			touched.set(copyKey(change), { copy: change.copy, id: change.id });
		}
		return [...touched.values()];
	}

	flags(ref: CopyRef): Flags {
		const flags = defaults(ref.copy);
		const key = copyKey(ref);
		if (!this.#changed.has(key)) return flags;
		for (const field of ['folder', 'read', 'starred', 'deleted'] as const) {
			const change = this.#latest.get(`${key} ${field}`);
			if (change) Object.assign(flags, { [field]: change.value });
		}
		return flags;
	}

	/** A stamp later than every change seen, so a new change always wins over what it replaced. */
	nextStamp(now: number): number {
		this.#highest = Math.max(now, this.#highest + 1);
		return this.#highest;
	}

	/** Every winning change: enough to rebuild this state anywhere (a compacted log). */
	snapshot(): StampedChange[] {
		return [...this.#latest.values()];
	}
}
