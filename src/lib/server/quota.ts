// The account quota: every byte the relay keeps for an account (the messages in its folders,
// its state log, its recovery backup and open transfers) counts against one limit, so that no
// account can fill the relay's disk. Attachment blocks have their own quota (blocks.ts).
//
// The check comes before the write, outside its transaction: requests racing each other can
// overshoot the quota by at most what they carry (a few MiB each), which is not worth a lock.
import type { RelayContext } from './context';
import { RelayError } from './errors';

/** 2 GiB of mail ciphertext, folders, flags and backups per account unless the operator says
 * otherwise: years of letters without attachments. */
export const DEFAULT_ACCOUNT_QUOTA_BYTES = 2 * 1024 ** 3;

export function formatBytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Throws unless `owner`'s account has room for `adding` more bytes. `freeing` is what the same
 * request removes (a replaced backup); `stateThrough` the state entries a compaction deletes.
 * `own` says whether the caller is the owner (else the sentence names the full mailbox). */
export async function checkRoom(
	ctx: RelayContext,
	owner: string,
	adding: number,
	options: { own: boolean; freeing?: number; stateThrough?: number }
): Promise<void> {
	const stored = await ctx.storage.storedBytes(
		owner,
		ctx.now().toISOString(),
		options.stateThrough
	);
	refuseUnlessRoom(ctx, owner, stored - (options.freeing ?? 0), adding, options.own);
}

/** `checkRoom` for every mailbox one letter is filed in, read in one statement, in the order
 * given (the first full one is the one named). `sender` is the caller. */
export async function checkRooms(
	ctx: RelayContext,
	owners: string[],
	adding: number,
	sender: string
): Promise<void> {
	const stored = await ctx.storage.storedBytesOf(owners, ctx.now().toISOString());
	for (const owner of owners) {
		refuseUnlessRoom(ctx, owner, stored.get(owner) ?? 0, adding, owner === sender);
	}
}

function refuseUnlessRoom(
	ctx: RelayContext,
	owner: string,
	used: number,
	adding: number,
	own: boolean
): void {
	if (used + adding <= ctx.accountQuotaBytes) return;
	const fill = `${formatBytes(used)} of ${formatBytes(ctx.accountQuotaBytes)} used`;
	throw new RelayError(
		413,
		'mailbox-full',
		own
			? `Your mailbox is full: ${fill}. Delete mail you no longer need, or ask the relay's operator for more room.`
			: `The mailbox of ${owner} is full; the letter was not delivered. Try again once they have made room.`
	);
}
