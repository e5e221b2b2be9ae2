// The mail state log: each entry is an OpenPGP message a client encrypted to its owner's own key,
// saying which folder each message is in and which flags it has. The relay keeps the entries in
// order and hands them to the owner's other devices; it cannot read them.
import { LIMITS, StateAppendRequest, type StateEntry } from '$lib/protocol';
import type { RelayContext } from './context';
import { json, readJson } from './http';
import { checkEncrypted, cursorParam, mailboxOwner } from './mail';

export async function appendState(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const owner = await mailboxOwner(ctx, request, addressText);
	const body = await readJson(request, StateAppendRequest, LIMITS.bodyBytes.state);
	await checkEncrypted(body.entry);
	const seq = await ctx.storage.appendState(
		owner,
		body.entry,
		ctx.now().toISOString(),
		body.compactThrough
	);
	return json(201, { seq });
}

export async function listState(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined,
	url: URL
): Promise<Response> {
	const owner = await mailboxOwner(ctx, request, addressText);
	const after = cursorParam(url);
	const entries: StateEntry[] = await ctx.storage.listState(owner, after, LIMITS.listPage);
	const cursor = String(entries.length > 0 ? entries[entries.length - 1]!.seq : after);
	return json(200, { entries, cursor });
}
