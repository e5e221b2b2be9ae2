// Proof of work against bulk mail: a sender the recipient does not know (never written to, not
// on their allow-list) must attach a stamp per such recipient. The check runs where mail is
// accepted into local mailboxes, so it applies to whoever hands the relay a message, and on the
// accounts a message is filed for: each member of a list is a recipient of their own, so one
// stamp never buys a list's whole membership.
import { createHash } from 'node:crypto';
import {
	AllowListRequest,
	LIMITS,
	STAMP_DAYS_ACCEPTED,
	allowListHash,
	parseStamp,
	leadingZeroBits,
	splitAddress,
	utcDay
} from '$lib/protocol';
import { authenticate } from './auth';
import type { RelayContext } from './context';
import { RelayError } from './errors';
import { json, readJson } from './http';
import { acceptedMembers } from './lists';
import { addressParam } from './params';
import type { SpentStamp } from './storage/types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The bits `recipient` (local) needs from `sender` before their mail is accepted; 0: none. */
export async function stampBitsFor(
	ctx: RelayContext,
	sender: string,
	recipient: string
): Promise<number> {
	if (ctx.powBits === 0 || sender === recipient) return 0;
	const known = await ctx.storage.knowsSender(
		recipient,
		sender,
		await allowListHash(recipient, sender)
	);
	return known ? 0 : ctx.powBits;
}

const refused = (kind: string, message: string) => new RelayError(403, kind, message);

function dayStart(day: string): number {
	return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)));
}

/** Checks `text` as the stamp `sender` made for `recipient` and this message; returns what to
 * record so that it is never accepted again. */
function checkStamp(
	ctx: RelayContext,
	text: string,
	wanted: { sender: string; recipient: string; messageHash: string; bits: number }
): SpentStamp {
	const { recipient } = wanted;
	const stamp = parseStamp(text);
	if (
		!stamp ||
		stamp.sender !== wanted.sender ||
		stamp.recipient !== recipient ||
		stamp.messageHash !== wanted.messageHash
	) {
		throw refused(
			'stamp-mismatch',
			`The proof-of-work stamp for ${recipient} was made for another sender, recipient or message; compute a new one for this message.`
		);
	}
	const today = dayStart(utcDay(ctx.now()));
	const made = dayStart(stamp.day);
	if (Math.abs(today - made) > STAMP_DAYS_ACCEPTED * DAY_MS) {
		throw refused(
			'stamp-expired',
			`The proof-of-work stamp for ${recipient} is dated ${stamp.day}, too far from today (UTC); compute a new one.`
		);
	}
	const digest = createHash('sha256').update(text, 'utf8').digest();
	if (stamp.bits < wanted.bits || leadingZeroBits(digest) < stamp.bits) {
		throw refused(
			'stamp-too-weak',
			`${recipient} needs a proof-of-work stamp of ${wanted.bits} bits from you, and this one shows less work; compute a new one.`
		);
	}
	return {
		hash: digest.toString('hex'),
		expiresAt: new Date(made + (STAMP_DAYS_ACCEPTED + 1) * DAY_MS).toISOString()
	};
}

/** The stamps a message for local `recipients` must spend; refuses it (403) when a recipient who
 * does not know the sender lacks a valid one. Strangers written to also count against the
 * sender's first-contact rate limit. */
export async function requireStamps(
	ctx: RelayContext,
	message: {
		sender: string;
		recipients: string[];
		armored: string;
		stamps?: Record<string, string>;
	}
): Promise<SpentStamp[]> {
	const { sender, recipients, stamps = {} } = message;
	const needed = await Promise.all(
		recipients.map(async (recipient) => ({
			recipient,
			bits: await stampBitsFor(ctx, sender, recipient)
		}))
	);
	const strangers = needed.filter(({ bits }) => bits > 0);
	if (strangers.length === 0) return [];
	const missing = strangers.filter(({ recipient }) => stamps[recipient] === undefined);
	if (missing.length > 0) {
		throw refused(
			'stamp-required',
			`${missing.map(({ recipient }) => recipient).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not know you yet, so this relay asks for a proof-of-work stamp (${ctx.powBits} bits) with mail to them; send it again from an up-to-date Letterlock, which computes one.`
		);
	}
	await ctx.limits.firstContact.take(sender);
	const messageHash = createHash('sha256').update(message.armored, 'utf8').digest('hex');
	return strangers.map(({ recipient, bits }) =>
		checkStamp(ctx, stamps[recipient]!, { sender, recipient, messageHash, bits })
	);
}

export const stampReused = () =>
	refused(
		'stamp-reused',
		'A proof-of-work stamp of this message was used before; each stamp is good for one delivery, so compute a new one.'
	);

/** GET /api/pow/:address: what the caller must attach to write to `address`. For an address on
 * another relay, the bits that relay publishes: it alone knows whether its person knows the
 * sender, so a stamp is made whenever it asks for any. For a list here, what each member its mail
 * reaches needs: stamps are made for members, not for the list. */
export async function powForCaller(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined,
	remotePowBits: (domain: string) => Promise<number>
): Promise<Response> {
	const sender = await authenticate(ctx, request.headers.get('authorization'));
	const address = addressParam(addressText);
	const { domain } = splitAddress(address);
	if (domain !== ctx.domain) return json(200, { address, bits: await remotePowBits(domain) });
	if (await ctx.storage.getAccount(address)) {
		return json(200, { address, bits: await stampBitsFor(ctx, sender, address) });
	}
	const list = await ctx.storage.getList(address);
	if (!list) {
		throw new RelayError(404, 'unknown-address', `There is no account ${address} on this relay.`);
	}
	const members = await Promise.all(
		acceptedMembers(list).map(async (member) => ({
			address: member,
			bits: await stampBitsFor(ctx, sender, member)
		}))
	);
	return json(200, { address, bits: 0, members });
}

/** PUT /api/pow/allow-list: the caller's contacts, who may write to them without a stamp. */
export async function replaceAllowList(ctx: RelayContext, request: Request): Promise<Response> {
	const owner = await authenticate(ctx, request.headers.get('authorization'));
	const { hashes } = await readJson(request, AllowListRequest, LIMITS.bodyBytes.allowList);
	await ctx.storage.replaceAllowList(owner, [...new Set(hashes)]);
	return new Response(null, { status: 204 });
}
