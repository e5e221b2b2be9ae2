// Typed HTTP client for the relay API. Every response is validated against the shared wire
// schemas, so a misbehaving relay produces a clear error instead of corrupt state.
import * as v from 'valibot';
import {
	BlockStored,
	ChallengeResponse,
	ErrorBody,
	EventTicketResponse,
	ListResponse,
	LoginResponse,
	LookupResponse,
	MailingList,
	RegisterResponse,
	RelayInfo,
	SendResponse,
	SessionsResponse,
	StoredMessage,
	type Folder
} from '../protocol';

export class RelayError extends Error {
	constructor(
		readonly kind: string,
		readonly status: number,
		message: string
	) {
		super(message);
		this.name = 'RelayError';
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

	info() {
		return this.#request('GET', '/api/info', RelayInfo);
	}

	register(address: string, publicKey: string) {
		return this.#request('POST', '/api/accounts', RegisterResponse, { address, publicKey });
	}

	/** Proves ownership of the account key by signing a fresh relay challenge; no password.
	 * Returns the session so that a client which keeps it (the CLI) knows when it expires. */
	async login(
		address: string,
		signChallenge: (challenge: string) => Promise<string>
	): Promise<{ token: string; expiresAt: string }> {
		const { challenge } = await this.#request('POST', '/api/auth/challenge', ChallengeResponse, {
			address
		});
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

	lookup(address: string) {
		return this.#request('GET', `/api/keys/${encodeURIComponent(address)}`, LookupResponse);
	}

	list(address: string, folder: Folder, after?: string) {
		const query = new URLSearchParams({ folder });
		if (after) query.set('after', after);
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

	/** A mailing list's members, or null when `address` is not a list. */
	async getList(address: string): Promise<MailingList | null> {
		try {
			return await this.#request('GET', `/api/lists/${encodeURIComponent(address)}`, MailingList);
		} catch (error) {
			if (error instanceof RelayError && error.status === 404) return null;
			throw error;
		}
	}

	/** Creates the list (we become its owner) or replaces its members. */
	putList(address: string, members: string[]) {
		return this.#request('PUT', `/api/lists/${encodeURIComponent(address)}`, MailingList, {
			members
		});
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

	/** `blocks` are the attachment blocks the message refers to, uploaded before. */
	send(to: string[], message: string, idempotencyKey?: string, blocks: string[] = []) {
		return this.#request(
			'POST',
			'/api/messages',
			SendResponse,
			blocks.length > 0 ? { to, message, blocks } : { to, message },
			idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}
		);
	}

	putBlock(hash: string, bytes: Uint8Array) {
		return this.#request('PUT', `/api/blocks/${hash}`, BlockStored, bytes);
	}

	async getBlock(hash: string): Promise<Uint8Array> {
		const response = await this.#fetchOrOffline(`/api/blocks/${hash}`, {
			headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
			// Every block is checked against its name anyway, so an HTTP cache saves little, and it
			// would hand a damaged copy back to "Try again" forever.
			cache: 'no-store'
		});
		if (!response.ok) {
			throw errorFrom(response.status, await response.json().catch(() => undefined));
		}
		return new Uint8Array(await response.arrayBuffer());
	}

	async #fetchOrOffline(path: string, init: RequestInit): Promise<Response> {
		try {
			return await this.#fetch(`${this.#base}${path}`, init);
		} catch {
			throw new RelayError(
				'offline',
				0,
				'The relay cannot be reached. Check your connection; nothing was lost.'
			);
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
		const binary = body instanceof Uint8Array;
		if (body !== undefined) {
			headers['content-type'] = binary ? 'application/octet-stream' : 'application/json';
		}
		if (this.token) headers.authorization = `Bearer ${this.token}`;
		const response = await this.#fetchOrOffline(path, {
			method,
			headers,
			body: binary
				? (body as Uint8Array<ArrayBuffer>)
				: body === undefined
					? undefined
					: JSON.stringify(body)
		});
		const payload: unknown =
			response.status === 204 ? undefined : await response.json().catch(() => undefined);
		if (!response.ok) throw errorFrom(response.status, payload);
		if (schema === null) return undefined as T;
		const parsed = v.safeParse(schema, payload);
		if (!parsed.success) {
			throw new RelayError(
				'bad-response',
				response.status,
				'The relay sent an answer this app does not understand. Try again later.'
			);
		}
		return parsed.output;
	}
}

function errorFrom(status: number, payload: unknown): RelayError {
	const parsed = v.safeParse(ErrorBody, payload);
	if (parsed.success)
		return new RelayError(parsed.output.error.kind, status, parsed.output.error.message);
	return new RelayError(
		'http',
		status,
		`The relay answered with an error (HTTP ${status}). Try again later.`
	);
}
