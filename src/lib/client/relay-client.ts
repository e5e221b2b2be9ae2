// Typed HTTP client for the relay API. Every response is validated against the shared wire
// schemas, so a misbehaving relay produces a clear error instead of corrupt state.
import * as v from 'valibot';
import {
	BlockStored,
	ChallengeResponse,
	ErrorBody,
	ImportResponse,
	KeysLookupResponse,
	EventTicketResponse,
	ListResponse,
	LoginResponse,
	LookupResponse,
	PowResponse,
	RecoveryStatus,
	PublishKeyResponse,
	MailingList,
	Membership,
	MembershipsResponse,
	RegisterResponse,
	RelayInfo,
	SealedBackup,
	SendResponse,
	SessionsResponse,
	StateAppended,
	StateLogResponse,
	StoredMessage,
	TransferStatus,
	type Folder
} from '../protocol';
import { LetterlockError, type ErrorFacts, type RelayErrorParams } from '../errors';
import { isValidAddress } from '../protocol/address';
import { challengeRefusal } from './login-challenge';

type RelayFacts = Extract<ErrorFacts, { domain: 'relay' }>;

/** A refusal or failure of the relay, in this client's words (lib/strings/errors.ts): the
 * relay's own sentence is dropped here, so no text a hostile relay wrote is ever shown. */
export class RelayError extends LetterlockError<RelayFacts> {
	constructor(
		kind: string,
		params: Omit<RelayErrorParams, 'addresses'> & { addresses?: string[] },
		options: { cause?: unknown } = {}
	) {
		super({ domain: 'relay', kind, params: { addresses: [], ...params } }, options);
		this.name = 'RelayError';
	}

	get status(): number {
		return this.params.status;
	}

	/** From a 429's Retry-After: how long the relay asks us to wait. */
	get retryAfterSeconds(): number | undefined {
		return this.params.retryAfterSeconds;
	}
}

type Schema<T> = v.GenericSchema<unknown, T>;

export class RelayClient {
	token: string | null;
	readonly #base: string;
	readonly #fetch: typeof fetch;

	constructor(baseUrl: string, options: { fetch?: typeof fetch; token?: string } = {}) {
		this.#base = baseUrl.replace(/\/+$/, '');
		this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
		this.token = options.token ?? null;
	}

	/** The relay's origin as given ('' in the page: same origin), for other clients of it. */
	get base(): string {
		return this.#base;
	}

	info() {
		return this.#request('GET', '/api/info', RelayInfo);
	}

	register(address: string, publicKey: string) {
		return this.#request('POST', '/api/accounts', RegisterResponse, { address, publicKey });
	}

	/** Proves ownership of the account key by signing a fresh relay challenge; no password.
	 * The challenge is checked first and refused (a 'refused-challenge' error, nothing signed)
	 * unless it is a current login challenge for this relay and `address`.
	 * Returns the session so that a client which keeps it (the CLI) knows when it expires. */
	async login(
		address: string,
		signChallenge: (challenge: string) => Promise<string>
	): Promise<{ token: string; expiresAt: string }> {
		const { challenge } = await this.#request('POST', '/api/auth/challenge', ChallengeResponse, {
			address
		});
		const refusal = challengeRefusal(challenge, {
			relay: this.#origin(),
			address,
			now: new Date()
		});
		if (refusal) throw new RelayError('refused-challenge', { status: 0, refusal });
		const signature = await signChallenge(challenge);
		const session = await this.#request('POST', '/api/auth/sessions', LoginResponse, {
			address,
			challenge,
			signature
		});
		this.token = session.token;
		return session;
	}

	async logout(): Promise<void> {
		if (!this.token) return;
		await this.#request('DELETE', '/api/auth/sessions/current', null);
		this.token = null;
	}

	/** This account's live sessions (devices and tabs signed in), newest first. */
	sessions() {
		return this.#request('GET', '/api/auth/sessions', SessionsResponse);
	}

	revokeSession(id: string) {
		return this.#request('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`, null);
	}

	/** Publishes a new version of our own key (extended, revoked, or a certified successor). */
	publishKey(address: string, publicKey: string) {
		return this.#request('PUT', `/api/keys/${encodeURIComponent(address)}`, PublishKeyResponse, {
			publicKey
		});
	}

	lookup(address: string) {
		return this.#request('GET', `/api/keys/${encodeURIComponent(address)}`, LookupResponse);
	}

	/** Up to `LIMITS.lookupBatch` addresses in one request (one lookup for the rate limit). */
	lookupMany(addresses: string[]) {
		return this.#request('POST', '/api/keys/lookup', KeysLookupResponse, { addresses });
	}

	/** Up to `limit` messages (the relay's default page when absent), oldest first. */
	list(address: string, folder: Folder, after?: string, limit?: number) {
		const query = new URLSearchParams({ folder });
		if (after) query.set('after', after);
		if (limit !== undefined) query.set('limit', String(limit));
		return this.#request(
			'GET',
			`/api/mailboxes/${encodeURIComponent(address)}/messages?${query}`,
			ListResponse
		);
	}

	fetchMessage(address: string, id: string) {
		return this.#request(
			'GET',
			`/api/mailboxes/${encodeURIComponent(address)}/messages/${encodeURIComponent(id)}`,
			StoredMessage
		);
	}

	/** Files `message` (encrypted to the owner) in the owner's inbox, marked imported. With a
	 * `letterKey` (an opaque digest naming the letter), the relay files each letter only once. */
	importMessage(address: string, from: string, message: string, letterKey?: string) {
		return this.#request(
			'POST',
			`/api/mailboxes/${encodeURIComponent(address)}/imports`,
			ImportResponse,
			{ from, message },
			letterKey ? { 'idempotency-key': letterKey } : {}
		);
	}

	/** Deletes the message from every folder of the mailbox, for good. */
	deleteMessage(address: string, id: string) {
		return this.#request(
			'DELETE',
			`/api/mailboxes/${encodeURIComponent(address)}/messages/${encodeURIComponent(id)}`,
			null
		);
	}

	/** Appends an encrypted mail state entry; `compactThrough` drops the entries it replaces. */
	appendState(address: string, entry: string, compactThrough?: number) {
		return this.#request(
			'POST',
			`/api/mailboxes/${encodeURIComponent(address)}/state`,
			StateAppended,
			compactThrough === undefined ? { entry } : { entry, compactThrough }
		);
	}

	listState(address: string, after?: string) {
		const query = after ? `?${new URLSearchParams({ after })}` : '';
		return this.#request(
			'GET',
			`/api/mailboxes/${encodeURIComponent(address)}/state${query}`,
			StateLogResponse
		);
	}

	/** A mailing list's members, or null when `address` is not a list. */
	async getList(address: string): Promise<MailingList | null> {
		try {
			return await this.#request('GET', `/api/lists/${encodeURIComponent(address)}`, MailingList);
		} catch (error) {
			if (error instanceof RelayError && error.status === 404) return null;
			throw error;
		}
	}

	/** Creates the list (we become its owner) or replaces its members; new members are invited
	 * and receive its mail once they accept. */
	putList(address: string, members: string[]) {
		return this.#request('PUT', `/api/lists/${encodeURIComponent(address)}`, MailingList, {
			members
		});
	}

	/** Accepts or declines the invitation to the list `address` (declining later leaves it). */
	answerList(address: string, status: 'accepted' | 'declined') {
		return this.#request(
			'PUT',
			`/api/lists/${encodeURIComponent(address)}/membership`,
			Membership,
			{ status }
		);
	}

	/** The lists that name us, with our answer to each. */
	async memberships() {
		return (await this.#request('GET', '/api/memberships', MembershipsResponse)).memberships;
	}

	/** A one-time ticket for `eventsUrl`: EventSource cannot send the session token. */
	eventTicket(address: string) {
		return this.#request(
			'POST',
			`/api/mailboxes/${encodeURIComponent(address)}/event-tickets`,
			EventTicketResponse
		);
	}

	/** The mailbox's new-mail event stream (server-sent events), opened with a ticket. */
	eventsUrl(address: string, ticket: string): string {
		const query = new URLSearchParams({ ticket });
		return `${this.#base}/api/mailboxes/${encodeURIComponent(address)}/events?${query}`;
	}

	/** `blocks` are the attachment blocks the message refers to, uploaded before; `stamps` the
	 * proof-of-work stamps by recipient, for those who do not know the sender yet. */
	send(
		to: string[],
		message: string,
		idempotencyKey?: string,
		blocks: string[] = [],
		stamps?: Record<string, string>
	) {
		return this.#request(
			'POST',
			'/api/messages',
			SendResponse,
			{ to, message, ...(blocks.length > 0 ? { blocks } : {}), ...(stamps ? { stamps } : {}) },
			idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}
		);
	}

	/** The proof-of-work bits `address` needs from this account (0: none). */
	powFor(address: string) {
		return this.#request('GET', `/api/pow/${encodeURIComponent(address)}`, PowResponse);
	}

	/** Replaces this account's allow-list: contacts who may write without a stamp. */
	putAllowList(hashes: string[]) {
		return this.#request('PUT', '/api/pow/allow-list', null, { hashes });
	}

	/** A Blob body is streamed from where it lives (the outbox keeps blocks on disk). */
	putBlock(hash: string, bytes: Uint8Array | Blob) {
		return this.#request('PUT', `/api/blocks/${hash}`, BlockStored, bytes);
	}

	/** Whether the relay already holds a block this account may read (HEAD, no bytes). */
	async hasBlock(hash: string): Promise<boolean> {
		const response = await this.#fetchOrOffline(`/api/blocks/${hash}`, {
			method: 'HEAD',
			headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
			cache: 'no-store'
		});
		if (response.ok || response.status === 404) return response.ok;
		throw errorFrom(response.status, undefined, response.headers);
	}

	/** When this account's recovery backup was stored; 404 (a RelayError) when there is none. */
	recoveryStatus() {
		return this.#request('GET', '/api/recovery', RecoveryStatus);
	}

	putRecovery(lookup: string, backup: string) {
		return this.#request('PUT', '/api/recovery', RecoveryStatus, { lookup, backup });
	}

	deleteRecovery() {
		return this.#request('DELETE', '/api/recovery', null);
	}

	/** Needs no session: the lookup secret derived from the recovery phrase opens it. */
	openRecovery(address: string, lookup: string) {
		return this.#request('POST', '/api/recovery/open', SealedBackup, { address, lookup }).catch(
			renamed(404, 'no-matching-recovery')
		);
	}

	putTransfer(id: string, backup: string) {
		return this.#request('PUT', `/api/transfers/${id}`, TransferStatus, { backup });
	}

	transferStatus(id: string) {
		return this.#request('GET', `/api/transfers/${id}`, TransferStatus);
	}

	cancelTransfer(id: string) {
		return this.#request('DELETE', `/api/transfers/${id}`, null);
	}

	/** Needs no session: the id is the ticket, and it works once. */
	claimTransfer(id: string) {
		return this.#request('POST', `/api/transfers/${id}/claim`, SealedBackup).catch(
			renamed(404, 'unknown-transfer')
		);
	}

	async getBlock(hash: string): Promise<Uint8Array> {
		const response = await this.#fetchOrOffline(`/api/blocks/${hash}`, {
			headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
			// Every block is checked against its name anyway, so an HTTP cache saves little, and it
			// would hand a damaged copy back to "Try again" forever.
			cache: 'no-store'
		});
		if (!response.ok) {
			throw errorFrom(
				response.status,
				await response.json().catch(() => undefined),
				response.headers
			);
		}
		return new Uint8Array(await response.arrayBuffer());
	}

	/** The origin this client sends its requests to: the page's own for a relative base. */
	#origin(): string {
		return new URL(this.#base || '/', globalThis.location?.href).origin;
	}

	async #fetchOrOffline(path: string, init: RequestInit): Promise<Response> {
		try {
			return await this.#fetch(`${this.#base}${path}`, init);
		} catch (error) {
			throw new RelayError('offline', { status: 0 }, { cause: error });
		}
	}

	async #request<T>(
		method: string,
		path: string,
		schema: Schema<T> | null,
		body?: unknown,
		extraHeaders: Record<string, string> = {}
	): Promise<T> {
		const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
		const binary = body instanceof Uint8Array || body instanceof Blob;
		if (body !== undefined) {
			headers['content-type'] = binary ? 'application/octet-stream' : 'application/json';
		}
		if (this.token) headers.authorization = `Bearer ${this.token}`;
		const response = await this.#fetchOrOffline(path, {
			method,
			headers,
			body: binary
				? (body as Uint8Array<ArrayBuffer> | Blob)
				: body === undefined
					? undefined
					: JSON.stringify(body)
		});
		const payload: unknown =
			response.status === 204 ? undefined : await response.json().catch(() => undefined);
		if (!response.ok) throw errorFrom(response.status, payload, response.headers);
		if (schema === null) return undefined as T;
		const parsed = v.safeParse(schema, payload);
		if (!parsed.success) {
			throw new RelayError('bad-response', { status: response.status });
		}
		return parsed.output;
	}
}

/** The relay's generic `kind` at `status`, as the more precise kind this request means. */
function renamed(status: number, kind: string): (error: unknown) => never {
	return (error) => {
		if (error instanceof RelayError && error.status === status) {
			throw new RelayError(kind, error.params, { cause: error });
		}
		throw error;
	};
}

/** Enough for any sentence; a relay naming thousands would only flood the screen. */
const NAMED_ADDRESSES = 20;

/** The relay's kind, and the addresses it names if they are addresses; never its sentence. */
function errorFrom(status: number, payload: unknown, headers: Headers): RelayError {
	const retryAfter = retryAfterSeconds(headers.get('retry-after'));
	const parsed = v.safeParse(ErrorBody, payload);
	const timing = retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter };
	if (!parsed.success) return new RelayError('http', { status, ...timing });
	const { kind, addresses = [] } = parsed.output.error;
	const named = addresses.filter(isValidAddress).slice(0, NAMED_ADDRESSES);
	return new RelayError(kind, { status, ...timing, addresses: named });
}

/** Retry-After in seconds (RFC 9110 also allows a date, which relays here never send). */
function retryAfterSeconds(value: string | null): number | undefined {
	return value !== null && /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}
