// Sending and reading mail. The relay handles only ciphertext: it checks that a message is an
// encrypted OpenPGP message, stores it once and files it in each mailbox.
import * as openpgp from 'openpgp';
import * as v from 'valibot';
import { createHash, randomUUID } from 'node:crypto';
import {
	DECOMPRESSED_BYTES,
	Folder,
	ImportRequest,
	LIMITS,
	ListLimit,
	SendRequest,
	splitAddress,
	type MessageSummary,
	type StoredMessage
} from '$lib/protocol';
import { authenticate } from './auth';
import type { RelayContext } from './context';
import { RelayError, badRequest } from './errors';
import { json, readJson } from './http';
import { expandRecipients } from './lists';
import { addressParam } from './params';
import { checkRoom, checkRooms } from './quota';
import { requireStamps, stampReused } from './stamps';
import { deliveryTargets } from './storage/schema';
import type { MailboxEntry, NewMessage, OutboundGroup, StoreMessageResult } from './storage/types';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export async function checkEncrypted(armoredMessage: string): Promise<void> {
	const invalid = badRequest(
		'The message is not an encrypted OpenPGP message; the relay accepts only ciphertext.'
	);
	let message: openpgp.Message<string>;
	try {
		// A compressed packet outside the encryption is refused here unopened, not unpacked.
		message = await openpgp.readMessage({
			armoredMessage,
			config: { maxDecompressedMessageSize: DECOMPRESSED_BYTES.relay }
		});
	} catch {
		throw invalid;
	}
	const { packet } = openpgp.enums;
	const sessionKeys = message.packets.filterByTag(
		packet.publicKeyEncryptedSessionKey,
		packet.symEncryptedSessionKey
	);
	const encrypted = message.packets.filterByTag(
		packet.symEncryptedIntegrityProtectedData,
		packet.aeadEncryptedData
	);
	// Refusing anything else keeps a buggy client from handing the relay a readable message.
	if (sessionKeys.length === 0 || encrypted.length === 0) throw invalid;
}

/** The accounts to file the message for: lists on this relay become the members who accepted. */
async function checkLocalRecipients(ctx: RelayContext, recipients: string[]): Promise<string[]> {
	const { accounts, unknown, empty } = await expandRecipients(ctx, recipients);
	if (unknown.length > 0) {
		throw new RelayError(
			422,
			'unknown-recipient',
			`There is no account ${unknown.join(', ')} on this relay; check the address.`,
			{},
			unknown
		);
	}
	if (empty.length > 0) {
		throw new RelayError(
			422,
			'empty-list',
			`Nobody on the list ${empty.join(', ')} has accepted its invitation yet, so it reaches no one.`,
			{},
			empty
		);
	}
	return accounts;
}

/** Recipients on other relays, one group per domain, each with its own stamps. */
function outboundGroups(
	ctx: RelayContext,
	recipients: string[],
	stamps: Record<string, string> | undefined
): OutboundGroup[] {
	const groups = new Map<string, OutboundGroup>();
	for (const address of recipients) {
		const { domain } = splitAddress(address);
		if (domain === ctx.domain) continue;
		const group = groups.get(domain) ?? { domain, recipients: [] };
		group.recipients.push(address);
		const stamp = stamps?.[address];
		if (stamp !== undefined) group.stamps = { ...group.stamps, [address]: stamp };
		groups.set(domain, group);
	}
	return [...groups.values()];
}

/** The one way into local mailboxes, for mail sent here and mail arriving from other relays
 * alike: every check on what may be filed for a local recipient belongs here. */
export async function acceptMessage(
	ctx: RelayContext,
	delivery: {
		message: NewMessage;
		/** Proof-of-work stamps by recipient, as the sender's client made them. */
		stamps: Record<string, string> | undefined;
	}
): Promise<Exclude<StoreMessageResult, { status: 'stamp-reused' }>> {
	const { message } = delivery;
	const recipients = await checkLocalRecipients(ctx, message.recipients);
	await checkEncrypted(message.armored);
	await checkMailboxRoom(ctx, message, recipients);
	// Per account, not per envelope address: a list is no way around each member's first contact.
	const stamps = await requireStamps(ctx, {
		sender: message.sender,
		recipients,
		armored: message.armored,
		stamps: delivery.stamps
	});
	const result = await ctx.mail.store({ ...message, recipients, stamps });
	if (result.status === 'stamp-reused') throw stampReused();
	if (result.status === 'stored') {
		// Only a notice that something is new; a lost notice costs a client one polling interval.
		await ctx.mail.announce([...recipients, message.sender]).catch((error: unknown) => {
			ctx.logger.warn(
				{ error: error instanceof Error ? error.message : String(error) },
				'new-mail notice not sent'
			);
		});
	}
	return result;
}

/** Every mailbox the message is filed in keeps its bytes: each must have room for them. The
 * sender's own sent copy is checked first, so that mail to oneself says "your mailbox". */
async function checkMailboxRoom(
	ctx: RelayContext,
	message: NewMessage,
	recipients: string[]
): Promise<void> {
	const owners = deliveryTargets({ ...message, recipients }).map((target) => target.owner);
	const sender = owners.includes(message.sender) ? [message.sender] : [];
	await checkRooms(ctx, [...new Set([...sender, ...owners])], message.size, message.sender);
}

/** A message may refer only to blocks its sender uploaded: the reference is what lets the
 * recipients read them. */
async function checkBlocks(ctx: RelayContext, sender: string, blocks: string[]): Promise<void> {
	if (blocks.length === 0) return;
	const missing = await ctx.storage.blocksNotHeld(sender, blocks);
	if (missing.length > 0) {
		const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ', …' : '');
		throw new RelayError(
			422,
			'missing-blocks',
			`Upload the attachment blocks before sending the message; the relay has no upload from you of ${missing.length} of them (${shown}).`
		);
	}
}

export async function sendMessage(ctx: RelayContext, request: Request): Promise<Response> {
	const sender = await authenticate(ctx, request.headers.get('authorization'));
	const idempotencyKey = request.headers.get('idempotency-key') ?? undefined;
	if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
		throw badRequest('The Idempotency-Key header must be 1 to 128 visible ASCII characters.');
	}
	await ctx.limits.sending.take(sender);
	const body = await readJson(request, SendRequest, LIMITS.bodyBytes.send);
	const recipients = [...new Set(body.to)];
	const outbound = outboundGroups(ctx, recipients, body.stamps);
	if (outbound.length > 0 && body.blocks?.length) {
		throw new RelayError(
			422,
			'remote-attachments',
			'Attachments cannot go to other relays yet; send them to addresses on this relay only.'
		);
	}
	const blocks = [...new Set(body.blocks ?? [])];
	await checkBlocks(ctx, sender, blocks);

	const requestHash = createHash('sha256')
		// The envelope as sent, not its expansion: a list changing does not make a retry a new message.
		.update(JSON.stringify([recipients, body.message]))
		.digest('hex');
	const result = await acceptMessage(ctx, {
		message: {
			id: randomUUID(),
			sender,
			recipients: recipients.filter((address) => splitAddress(address).domain === ctx.domain),
			outbound,
			armored: body.message,
			size: Buffer.byteLength(body.message, 'utf8'),
			createdAt: ctx.now().toISOString(),
			blocks,
			idempotency: idempotencyKey ? { key: idempotencyKey, requestHash } : undefined
		},
		stamps: body.stamps
	});
	if (result.status === 'key-reused') {
		throw new RelayError(
			422,
			'idempotency-key-reused',
			'That Idempotency-Key was already used for a different message; use a new key per message.'
		);
	}
	if (outbound.length > 0) ctx.outbound.kick();
	return json(201, { id: result.id, recipients: result.recipients });
}

/** The mailbox owner named in the URL, once the bearer token shows the caller is that owner. */
export async function mailboxOwner(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<string> {
	const caller = await authenticate(ctx, request.headers.get('authorization'));
	const owner = addressParam(addressText);
	if (owner !== caller) {
		throw new RelayError(403, 'forbidden', 'You can only use your own mailbox.');
	}
	return owner;
}

const summary = (entry: MailboxEntry): MessageSummary => ({
	id: entry.messageId,
	folder: entry.folder,
	from: entry.sender,
	receivedAt: entry.receivedAt,
	size: entry.size,
	...(entry.imported ? { imported: true as const } : {})
});

/** Files a message the owner imported from a file into the owner's own inbox. The relay cannot
 * check who wrote it, so the entry says `imported` and keeps the claimed sender apart from mail
 * that accounts here sent. An `Idempotency-Key` names the letter (clients send a digest keyed by
 * a secret the relay never sees): the same key again, whatever the ciphertext (plain mail is
 * encrypted anew on every try), answers the letter filed the first time, so an import that
 * crashed between upload and its own record cannot file a letter twice. */
export async function importMessage(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const owner = await mailboxOwner(ctx, request, addressText);
	await ctx.limits.imports.take(owner);
	const idempotencyKey = request.headers.get('idempotency-key');
	if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
		throw badRequest('The Idempotency-Key must be 1 to 128 visible ASCII characters.');
	}
	const body = await readJson(request, ImportRequest, LIMITS.bodyBytes.send);
	await checkEncrypted(body.message);
	const size = Buffer.byteLength(body.message, 'utf8');
	await checkRoom(ctx, owner, size, { own: true });
	const result = await ctx.mail.store({
		id: randomUUID(),
		sender: body.from,
		recipients: [owner],
		armored: body.message,
		size,
		createdAt: ctx.now().toISOString(),
		imported: true,
		// Scoped to the owner: another account's import with the same key is another letter
		// (and no send's key holds a space, so the two kinds never meet).
		// One fixed request hash, so that a retry with new ciphertext counts as the same letter.
		idempotency: idempotencyKey
			? { key: `import ${owner} ${idempotencyKey}`, requestHash: 'import' }
			: undefined
	});
	if (result.status === 'replayed') return json(200, { id: result.id, replayed: true });
	if (result.status !== 'stored') throw new Error('An import without stamps was not stored.');
	return json(201, { id: result.id });
}

const CURSOR = /^(?:0|[1-9][0-9]{0,14})$/;

/** The cursor of a listing page: the last row's sequence number, or `after` when empty. */
export function cursorAfter(rows: { seq: number }[], after: number): string {
	return String(rows.length > 0 ? rows[rows.length - 1]!.seq : after);
}

/** The `after` query parameter of a listing, as a number. */
export function cursorParam(url: URL): number {
	const after = url.searchParams.get('after') ?? '0';
	if (!CURSOR.test(after)) {
		throw badRequest('The cursor is not one this relay gave out; list again without "after".');
	}
	return Number(after);
}

export async function listMessages(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined,
	url: URL
): Promise<Response> {
	const owner = await mailboxOwner(ctx, request, addressText);
	const folder = v.safeParse(Folder, url.searchParams.get('folder') ?? 'inbox');
	if (!folder.success) throw badRequest('The folder must be "inbox" or "sent".');
	const after = cursorParam(url);
	const limit = v.safeParse(ListLimit, url.searchParams.get('limit') ?? String(LIMITS.listPage));
	if (!limit.success) throw badRequest(limit.issues[0].message);
	const entries = await ctx.storage.listMailbox(owner, folder.output, after, limit.output);
	return json(200, { messages: entries.map(summary), cursor: cursorAfter(entries, after) });
}

/** Anything longer than the relay's ids names no message: answered as not found. */
const isMessageId = (id: string | undefined): id is string => !!id && id.length <= 64;

const noSuchMessage = () =>
	new RelayError(404, 'not-found', 'There is no such message in this mailbox.');

export async function getMessage(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined,
	id: string | undefined
): Promise<Response> {
	const owner = await mailboxOwner(ctx, request, addressText);
	const found = isMessageId(id) ? await ctx.storage.getMailboxMessage(owner, id) : undefined;
	if (!found) throw noSuchMessage();
	const deliveries =
		found.sender === owner ? await ctx.storage.outboundStatus(found.messageId) : [];
	const body: StoredMessage = {
		...summary(found),
		to: found.recipients,
		message: found.armored,
		...(deliveries.length > 0 ? { deliveries } : {})
	};
	return json(200, body);
}

/** Deletes for good: the owner's copy leaves every folder, and the ciphertext once nobody has it. */
export async function deleteMessage(
	ctx: RelayContext,
	owner: string,
	id: string | undefined
): Promise<Response> {
	if (!isMessageId(id) || !(await ctx.storage.deleteFromMailbox(owner, id))) throw noSuchMessage();
	return new Response(null, { status: 204 });
}
