// Mailing lists: an address on this relay whose mail is filed into the inbox of every member who
// accepted. The relay never reads the mail: to write to a list, a client asks for its members
// (GET), encrypts one ciphertext to every member's key, and sends it to the list address; the
// relay then delivers that ciphertext to each of them. The price: any account can see who is on
// a list. Naming someone only invites them: nobody's inbox is anyone else's to fill, so mail
// reaches a member once they accept, and first contact is paid per member (stamps.ts).
import {
	LIMITS,
	ListRequest,
	MembershipRequest,
	splitAddress,
	type MailingList,
	type Membership
} from '$lib/protocol';
import { authenticate } from './auth';
import type { RelayContext } from './context';
import { RelayError, wrongDomain } from './errors';
import { json, readJson } from './http';
import { addressParam } from './params';
import { isRoleAddress } from './role-addresses';
import type { ListRecord } from './storage/types';

const notAList = (address: string) =>
	new RelayError(404, 'unknown-address', `There is no list ${address} on this relay.`);

const forbidden = (address: string) =>
	new RelayError(403, 'forbidden', `Only the owner of ${address} can change it.`);

/** The members mail to the list reaches. */
export const acceptedMembers = (list: ListRecord): string[] =>
	list.members.filter((member) => member.status === 'accepted').map((member) => member.address);

/** What `caller` may see of `list`: everyone sees who receives its mail, since senders encrypt
 * to them; only the owner sees who has not answered or declined. */
function listView(list: ListRecord, caller: string): MailingList {
	const view: MailingList = {
		address: list.address,
		owner: list.owner,
		members: acceptedMembers(list)
	};
	if (caller !== list.owner) return view;
	const named = (status: string) =>
		list.members.filter((member) => member.status === status).map((member) => member.address);
	return { ...view, invited: named('invited'), declined: named('declined') };
}

export async function putList(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const owner = await authenticate(ctx, request.headers.get('authorization'));
	const address = addressParam(addressText);
	if (splitAddress(address).domain !== ctx.domain) throw wrongDomain(ctx.domain, address);
	if (isRoleAddress(address)) {
		throw new RelayError(
			403,
			'reserved-address',
			`${address} is reserved for the people who run this relay; pick another list address.`
		);
	}
	const { members } = await readJson(request, ListRequest, LIMITS.bodyBytes.list);
	const unique = [...new Set(members)].sort();
	const accounts = await Promise.all(unique.map((member) => ctx.storage.getAccount(member)));
	const unknown = unique.filter((_, index) => !accounts[index]);
	if (unknown.length > 0) {
		throw new RelayError(
			422,
			'unknown-recipient',
			`Only accounts on this relay can be members; there is no account ${unknown.join(', ')}.`,
			{},
			unknown
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
	const list = await ctx.storage.getList(address);
	if (!list) throw notAList(address);
	return json(outcome === 'created' ? 201 : 200, listView(list, owner));
}

export async function getList(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const caller = await authenticate(ctx, request.headers.get('authorization'));
	const address = addressParam(addressText);
	const list = await ctx.storage.getList(address);
	if (!list) throw notAList(address);
	return json(200, listView(list, caller));
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

/** PUT /api/lists/:address/membership: the caller accepts or declines being on the list (and
 * declining later leaves it). */
export async function answerMembership(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const member = await authenticate(ctx, request.headers.get('authorization'));
	const address = addressParam(addressText);
	const { status } = await readJson(request, MembershipRequest, LIMITS.bodyBytes.list);
	const list = await ctx.storage.getList(address);
	if (!list || !(await ctx.storage.answerMembership(address, member, status))) {
		throw new RelayError(
			404,
			'not-invited',
			`The list ${address} does not name you, so there is nothing to answer.`
		);
	}
	const body: Membership = { list: address, owner: list.owner, status };
	return json(200, body);
}

/** GET /api/memberships: the lists that name the caller, so they can answer invitations. */
export async function listMemberships(ctx: RelayContext, request: Request): Promise<Response> {
	const member = await authenticate(ctx, request.headers.get('authorization'));
	const memberships: Membership[] = await ctx.storage.listMemberships(member);
	return json(200, { memberships });
}

/** The accounts a message to `addresses` is filed for: lists become the members who accepted.
 * Addresses that are neither an account nor a list are returned as `unknown`, lists that reach
 * nobody yet as `empty`. */
export async function expandRecipients(
	ctx: RelayContext,
	addresses: string[]
): Promise<{ accounts: string[]; unknown: string[]; empty: string[] }> {
	const found = await Promise.all(
		addresses.map(async (address) => {
			if (await ctx.storage.getAccount(address)) return [address];
			const list = await ctx.storage.getList(address);
			return list ? acceptedMembers(list) : null;
		})
	);
	return {
		accounts: [...new Set(found.flatMap((members) => members ?? []))],
		unknown: addresses.filter((_, index) => found[index] === null),
		empty: addresses.filter((_, index) => found[index]?.length === 0)
	};
}
