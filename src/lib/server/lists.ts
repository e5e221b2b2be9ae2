// Mailing lists: an address on this relay whose mail is filed into every member's inbox. The relay
// never reads the mail: to write to a list, a client asks for its members (GET), encrypts one
// ciphertext to every member's key, and sends it to the list address; the relay then delivers
// that ciphertext to each member. The price: any account can see who is on a list.
import { LIMITS, ListRequest, splitAddress, type MailingList } from '$lib/protocol';
import { authenticate } from './auth';
import type { RelayContext } from './context';
import { RelayError, wrongDomain } from './errors';
import { json, readJson } from './http';
import { addressParam } from './params';

const notAList = (address: string) =>
	new RelayError(404, 'unknown-address', `There is no list ${address} on this relay.`);

const forbidden = (address: string) =>
	new RelayError(403, 'forbidden', `Only the owner of ${address} can change it.`);

export async function putList(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const owner = await authenticate(ctx, request.headers.get('authorization'));
	const address = addressParam(addressText);
	if (splitAddress(address).domain !== ctx.domain) throw wrongDomain(ctx.domain, address);
	const { members } = await readJson(request, ListRequest, LIMITS.bodyBytes.list);
	const unique = [...new Set(members)].sort();
	const accounts = await Promise.all(unique.map((member) => ctx.storage.getAccount(member)));
	const unknown = unique.filter((_, index) => !accounts[index]);
	if (unknown.length > 0) {
		throw new RelayError(
			422,
			'unknown-recipient',
			`Only accounts on this relay can be members; there is no account ${unknown.join(', ')}.`
		);
	}
	const outcome = await ctx.storage.putList({
		address,
		owner,
		members: unique,
		createdAt: ctx.now().toISOString()
	});
	if (outcome === 'taken') {
		throw new RelayError(409, 'address-taken', `${address} is a person's address; pick another.`);
	}
	if (outcome === 'not-owner') throw forbidden(address);
	const body: MailingList = { address, owner, members: unique };
	return json(outcome === 'created' ? 201 : 200, body);
}

export async function getList(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	await authenticate(ctx, request.headers.get('authorization'));
	const address = addressParam(addressText);
	const list = await ctx.storage.getList(address);
	if (!list) throw notAList(address);
	const body: MailingList = list;
	return json(200, body);
}

export async function deleteList(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const caller = await authenticate(ctx, request.headers.get('authorization'));
	const address = addressParam(addressText);
	const outcome = await ctx.storage.deleteList(address, caller);
	if (outcome === 'missing') throw notAList(address);
	if (outcome === 'not-owner') throw forbidden(address);
	return new Response(null, { status: 204 });
}

/** The accounts a message to `addresses` is filed for: lists become their members. Addresses
 * that are neither an account nor a list are returned as `unknown`. */
export async function expandRecipients(
	ctx: RelayContext,
	addresses: string[]
): Promise<{ accounts: string[]; unknown: string[] }> {
	const found = await Promise.all(
		addresses.map(async (address) => {
			if (await ctx.storage.getAccount(address)) return [address];
			return (await ctx.storage.getList(address))?.members ?? null;
		})
	);
	return {
		accounts: [...new Set(found.flatMap((members) => members ?? []))],
		unknown: addresses.filter((_, index) => found[index] === null)
	};
}
