// New-mail notices as server-sent events. The stream carries no content, not even a message id:
// only "this mailbox has something new", after which the client lists as usual. EventSource
// cannot send an Authorization header, so the owner first trades the session token for a
// one-time ticket valid for a minute, and opens the stream with it in the URL. Streams end
// after a few minutes, so a revoked session stops receiving notices soon; clients reconnect
// with a fresh ticket. Notices cross relay processes through the storage (PostgreSQL
// LISTEN/NOTIFY; in one process with SQLite).
import * as v from 'valibot';
import { randomBytes } from 'node:crypto';
import { EventTicket, type EventTicketResponse } from '$lib/protocol';
import { hashToken } from './auth';
import type { RelayContext } from './context';
import { RelayError, badRequest, unauthorised } from './errors';
import { json } from './http';
import { mailboxOwner } from './mail';
import { addressParam } from './params';
import type { Storage } from './storage/types';

export const EVENT_TICKET_LIFETIME_MS = 60 * 1000;
const STREAM_LIFETIME_MS = 5 * 60 * 1000;
/** Below the idle timeouts of common proxies, so an idle stream is not cut. */
const KEEPALIVE_MS = 25 * 1000;
/** Open streams per mailbox per process: a few devices and tabs, not a flood. */
const STREAMS_PER_MAILBOX = 10;

const encoder = new TextEncoder();

/** One open event stream: `push` writes to it, `end` closes it and forgets it. */
interface OpenStream {
	push(text: string): void;
	end(): void;
}

/** The open streams of this process, by mailbox owner, fed by the storage's announcements. */
export class MailboxEvents {
	readonly #streams = new Map<string, Set<OpenStream>>();
	#watching: Promise<() => Promise<void>> | null = null;

	constructor(private readonly storage: Storage) {}

	/** Resolves once this process hears announcements, so nothing sent after it is missed. */
	async open(owner: string): Promise<ReadableStream<Uint8Array>> {
		if ((this.#streams.get(owner)?.size ?? 0) >= STREAMS_PER_MAILBOX) {
			throw new RelayError(
				429,
				'rate-limited',
				'Too many notification streams are open for this mailbox; close a tab and try again.',
				{ 'retry-after': '60' }
			);
		}
		this.#watching ??= this.storage.watchMailboxes((announced) => this.#notify(announced));
		await this.#watching;
		let stream: OpenStream | undefined;
		return new ReadableStream<Uint8Array>({
			start: (controller) => {
				stream = this.#add(owner, controller);
				// `retry` spaces out the browser's own reconnects (which fail: tickets are one-time).
				stream.push('retry: 5000\nevent: ready\ndata: {}\n\n');
			},
			cancel: () => stream?.end()
		});
	}

	/** Ends every stream and stops listening; the relay is closing. */
	async close(): Promise<void> {
		for (const streams of [...this.#streams.values()]) [...streams].forEach((s) => s.end());
		const watching = this.#watching;
		this.#watching = null;
		const stop = await watching?.catch(() => null);
		await stop?.().catch(() => undefined);
	}

	#add(owner: string, controller: ReadableStreamDefaultController<Uint8Array>): OpenStream {
		const streams = this.#streams.get(owner) ?? new Set<OpenStream>();
		this.#streams.set(owner, streams);
		const keepalive = setInterval(() => stream.push(': keepalive\n\n'), KEEPALIVE_MS);
		const expiry = setTimeout(() => stream.end(), STREAM_LIFETIME_MS);
		const stream: OpenStream = {
			push(text) {
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					// The client went away; `cancel` ends the stream.
				}
			},
			end: () => {
				clearInterval(keepalive);
				clearTimeout(expiry);
				streams.delete(stream);
				if (streams.size === 0) this.#streams.delete(owner);
				try {
					controller.close();
				} catch {
					// Already closed by the client.
				}
			}
		};
		streams.add(stream);
		return stream;
	}

	#notify(owner: string): void {
		for (const stream of this.#streams.get(owner) ?? []) stream.push('event: mail\ndata: {}\n\n');
	}
}

export async function issueEventTicket(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const owner = await mailboxOwner(ctx, request, addressText);
	const now = ctx.now();
	const ticket = randomBytes(32).toString('base64url');
	const expiresAt = new Date(now.getTime() + EVENT_TICKET_LIFETIME_MS).toISOString();
	await ctx.storage.createEventTicket(
		{ ticketHash: hashToken(ticket), address: owner, expiresAt },
		now.toISOString()
	);
	const body: EventTicketResponse = { ticket, expiresAt };
	return json(201, body);
}

export async function openEventStream(
	ctx: RelayContext,
	events: MailboxEvents,
	addressText: string | undefined,
	url: URL
): Promise<Response> {
	const owner = addressParam(addressText);
	const ticket = v.safeParse(EventTicket, url.searchParams.get('ticket') ?? '');
	if (!ticket.success) throw badRequest(ticket.issues[0].message);
	const holder = await ctx.storage.redeemEventTicket(
		hashToken(ticket.output),
		ctx.now().toISOString()
	);
	// Used, expired, unknown or for another mailbox: the same answer, and the ticket is spent.
	if (holder !== owner) {
		throw unauthorised('This notification ticket is used up or expired; ask for a new one.');
	}
	return new Response(await events.open(owner), {
		status: 200,
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			// Tells nginx and similar proxies to pass each event on at once.
			'x-accel-buffering': 'no'
		}
	});
}
