// The mail state log: each entry is an OpenPGP message a client encrypted to its owner's own key,
// saying which folder each message is in and which flags it has. The relay keeps the entries in
// order and hands them to the owner's other devices; it cannot read them.
import { LIMITS, StateAppendRequest, type StateEntry } from '$lib/protocol';
import type { RelayContext } from './context';
import { json, readJson } from './http';
import { checkEncrypted, cursorAfter, cursorParam } from './mail';
import { checkRoom } from './quota';

/** `owner` is the mailbox address, already checked to be the caller's (`mailboxOwner`). */
export async function appendState(
	ctx: RelayContext,
	request: Request,
	owner: string
): Promise<Response> {
	await ctx.limits.stateLog.take(owner);
	const body = await readJson(request, StateAppendRequest, LIMITS.bodyBytes.state);
	await checkEncrypted(body.entry);
	// A compaction deletes the entries it replaces, so a full account can still compact.
	await checkRoom(ctx, owner, Buffer.byteLength(body.entry, 'utf8'), {
		own: true,
		stateThrough: body.compactThrough
	});
	const seq = await ctx.storage.appendState(
		owner,
		body.entry,
		ctx.now().toISOString(),
		body.compactThrough
	);
	return json(201, { seq });
}

export async function listState(ctx: RelayContext, owner: string, url: URL): Promise<Response> {
	const after = cursorParam(url);
	const entries: StateEntry[] = await ctx.storage.listState(owner, after, LIMITS.listPage);
	return json(200, { entries, cursor: cursorAfter(entries, after) });
}
