// The relay as one fetch-style function: Request in, Response out. It knows nothing of SvelteKit
// or node:http, so the app's routes and the tests' plain HTTP server share the same code.
import {
	ChallengeRequest,
	LIMITS,
	LoginRequest,
	RegisterRequest,
	splitAddress,
	type RelayInfo
} from '$lib/protocol';
import { issueChallenge, listSessions, login, logout, revokeSession } from './auth';
import type { RelayContext } from './context';
import { lookupKeys, lookupMany, wkdKeys, wkdPolicy } from './directory';
import { RelayError, wrongDomain } from './errors';
import { errorResponse, json, readJson } from './http';
import { backupHandlers } from './backups';
import { blockHandlers } from './blocks';
import { MailboxEvents, issueEventTicket, openEventStream } from './events';
import { createFederation, type Federation, type FederationOptions } from './federation';
import { acceptPublicKey } from './keys';
import { publishKey } from './key-updates';
import { createLogger } from './logger';
import { answerMembership, deleteList, getList, listMemberships, putList } from './lists';
import { addressParam } from './params';
import {
	deleteMessage,
	getMessage,
	importMessage,
	listMessages,
	mailboxOwner,
	sendMessage
} from './mail';
import { appendState, listState } from './mail-state';
import { DEFAULT_RATE_LIMITS, perClient, rateLimiters, type RateLimits } from './rate-limit';
import { DEFAULT_ACCOUNT_QUOTA_BYTES } from './quota';
import { checkRoleClaim, type OperatorAddresses } from './role-addresses';
import { Router, type Client } from './router';
import { powForCaller, replaceAllowList } from './stamps';
import type { Storage } from './storage/types';

export interface RelayOptions {
	storage: Storage;
	/** The mail domain: accounts are `local@domain`. */
	domain: string;
	/** Public origin, written into login challenges. */
	origin: string;
	/** The onion mirror's origin, if this relay has one: challenges asked for there name it. */
	mirrorOrigin?: string;
	version: string;
	/** The clock; tests move it to expire challenges and sessions. */
	now?: () => Date;
	/** Receives each structured log line (JSON); printed to standard output by default. */
	log?: (line: string) => void;
	/** Overrides of the default rate limits, e.g. tighter ones in tests. */
	rateLimits?: Partial<RateLimits>;
	/** Count rate limits in the storage (PostgreSQL), together with every relay process on it,
	 * on the system clock rather than `now`; SQLite storage counts in memory regardless. */
	sharedRateLimits?: boolean;
	/** Bytes of attachment blocks each account may keep on the relay. */
	blockQuotaBytes?: number;
	/** Bytes of everything else each account may keep: mail, folders and flags, backups. */
	accountQuotaBytes?: number;
	/** How this relay finds and talks to other relays. */
	federation?: FederationOptions;
	/** Proof-of-work bits a stranger's mail needs; 0 (the default here) asks for none. */
	powBits?: number;
	/** Role addresses only these keys may register (LETTERLOCK_ROLE_KEYS); none by default. */
	operatorAddresses?: OperatorAddresses;
}

/** 10 GiB of attachments per account unless the operator says otherwise. */
export const DEFAULT_BLOCK_QUOTA_BYTES = 10 * 1024 ** 3;

export interface Relay {
	/** `client` is who sent the request, for the limits that count per network. */
	handle(request: Request, client?: Client): Promise<Response>;
	/** Every endpoint as `METHOD /pattern`. */
	readonly endpoints: string[];
	/** Closes the storage; the relay must not be used afterwards. */
	close(): Promise<void>;
}

async function register(ctx: RelayContext, request: Request, client: Client): Promise<Response> {
	await ctx.limits.registration.take(client.address);
	const body = await readJson(request, RegisterRequest, LIMITS.bodyBytes.register);
	if (splitAddress(body.address).domain !== ctx.domain) throw wrongDomain(ctx.domain, body.address);
	if (await ctx.storage.getList(body.address)) {
		throw new RelayError(409, 'address-taken', `${body.address} is a mailing list; pick another.`);
	}
	const key = await acceptPublicKey(body.publicKey, body.address, ctx.now());
	checkRoleClaim(body.address, key.fingerprint, ctx.operatorAddresses);
	const outcome = await ctx.storage.createAccount({
		address: body.address,
		fingerprint: key.fingerprint,
		publicKey: key.armored,
		createdAt: ctx.now().toISOString()
	});
	if (outcome === 'taken') {
		throw new RelayError(409, 'address-taken', `${body.address} is already taken; pick another.`);
	}
	return json(201, { address: body.address, fingerprint: key.fingerprint });
}

function routes(
	ctx: RelayContext,
	blockQuotaBytes: number,
	federation: Federation,
	events: MailboxEvents
): Router {
	const info: RelayInfo = {
		domain: ctx.domain,
		origin: ctx.origin,
		version: ctx.version,
		powBits: ctx.powBits
	};
	const blocks = blockHandlers({ ...ctx, blockQuotaBytes });
	const backups = backupHandlers(ctx);
	return (
		new Router()
			.add('GET', '/api/info', async () => json(200, info))
			.add('POST', '/api/accounts', (request, _, __, client) => register(ctx, request, client))
			.add('POST', '/api/auth/challenge', async (request, _, __, client) => {
				const { address } = await readJson(request, ChallengeRequest, LIMITS.bodyBytes.challenge);
				await ctx.limits.login.take(perClient(client, address));
				return json(200, await issueChallenge(ctx, address, request.headers.get('host')));
			})
			.add('POST', '/api/auth/sessions', async (request, _, __, client) => {
				const body = await readJson(request, LoginRequest, LIMITS.bodyBytes.login);
				await ctx.limits.login.take(perClient(client, body.address));
				return json(201, await login(ctx, body));
			})
			.add('GET', '/api/auth/sessions', async (request) =>
				json(200, { sessions: await listSessions(ctx, request.headers.get('authorization')) })
			)
			.add('DELETE', '/api/auth/sessions/current', async (request) => {
				await logout(ctx, request.headers.get('authorization'));
				return new Response(null, { status: 204 });
			})
			.add('DELETE', '/api/auth/sessions/:id', async (request, params) => {
				await revokeSession(ctx, request.headers.get('authorization'), params.id);
				return new Response(null, { status: 204 });
			})
			.add('GET', '/api/keys/:address', async (_, params, __, client) => {
				await ctx.limits.lookup.take(client.address);
				const address = addressParam(params.address);
				return splitAddress(address).domain === ctx.domain
					? lookupKeys(ctx, address)
					: federation.lookupRemote(address);
			})
			// One token per batch: a batch costs the relay about what one lookup of each costs.
			.add('POST', '/api/keys/lookup', async (request, _, __, client) => {
				await ctx.limits.lookup.take(client.address);
				return lookupMany(ctx, request, (address) => federation.lookupRemote(address));
			})
			.add('PUT', '/api/keys/:address', (request, params) =>
				publishKey(ctx, request, params.address)
			)
			.add('POST', '/api/messages', (request) => sendMessage(ctx, request))
			.add('POST', '/api/federation/deliveries', (request, _, __, client) =>
				federation.receive(request, client)
			)
			.add('GET', '/.well-known/letterlock/relay', () => federation.document())
			.add('GET', '/api/pow/:address', (request, params) =>
				powForCaller(ctx, request, params.address, federation.remotePowBits)
			)
			.add('PUT', '/api/pow/allow-list', (request) => replaceAllowList(ctx, request))
			.add('GET', '/api/mailboxes/:address/messages', (request, params, url) =>
				listMessages(ctx, request, params.address, url)
			)
			.add('GET', '/api/mailboxes/:address/messages/:id', (request, params) =>
				getMessage(ctx, request, params.address, params.id)
			)
			.add('POST', '/api/mailboxes/:address/imports', (request, params) =>
				importMessage(ctx, request, params.address)
			)
			.add('DELETE', '/api/mailboxes/:address/messages/:id', async (request, params) =>
				deleteMessage(ctx, await mailboxOwner(ctx, request, params.address), params.id)
			)
			.add('POST', '/api/mailboxes/:address/state', async (request, params) =>
				appendState(ctx, request, await mailboxOwner(ctx, request, params.address))
			)
			.add('GET', '/api/mailboxes/:address/state', async (request, params, url) =>
				listState(ctx, await mailboxOwner(ctx, request, params.address), url)
			)
			.add('POST', '/api/mailboxes/:address/event-tickets', (request, params) =>
				issueEventTicket(ctx, request, params.address)
			)
			.add('GET', '/api/mailboxes/:address/events', (_, params, url) =>
				openEventStream(ctx, events, params.address, url)
			)
			.add('PUT', '/api/lists/:address', (request, params) => putList(ctx, request, params.address))
			.add('GET', '/api/lists/:address', (request, params) => getList(ctx, request, params.address))
			.add('DELETE', '/api/lists/:address', (request, params) =>
				deleteList(ctx, request, params.address)
			)
			.add('PUT', '/api/lists/:address/membership', (request, params) =>
				answerMembership(ctx, request, params.address)
			)
			.add('GET', '/api/memberships', (request) => listMemberships(ctx, request))
			.add('PUT', '/api/blocks/:hash', (request, params) => blocks.put(request, params.hash))
			.add('GET', '/api/blocks/:hash', (request, params) => blocks.get(request, params.hash))
			.add('PUT', '/api/recovery', (request) => backups.putRecovery(request))
			.add('GET', '/api/recovery', (request) => backups.getRecovery(request))
			.add('DELETE', '/api/recovery', (request) => backups.deleteRecovery(request))
			.add('POST', '/api/recovery/open', (request, _, __, client) =>
				backups.openRecovery(request, client)
			)
			.add('PUT', '/api/transfers/:id', (request, params) =>
				backups.putTransfer(request, params.id)
			)
			.add('GET', '/api/transfers/:id', (request, params) =>
				backups.getTransfer(request, params.id)
			)
			.add('DELETE', '/api/transfers/:id', (request, params) =>
				backups.deleteTransfer(request, params.id)
			)
			.add('POST', '/api/transfers/:id/claim', (_, params, __, client) =>
				backups.claimTransfer(params.id, client)
			)
			.add('GET', '/.well-known/openpgpkey/policy', async () => wkdPolicy(ctx, undefined))
			.add('GET', '/.well-known/openpgpkey/hu/:hash', async (_, params, url, client) => {
				await ctx.limits.lookup.take(client.address);
				return wkdKeys(ctx, undefined, params.hash, url);
			})
			// The advanced layout, for when openpgpkey.<domain> points at this relay.
			.add('GET', '/.well-known/openpgpkey/:domain/policy', async (_, params) =>
				wkdPolicy(ctx, params.domain)
			)
			.add('GET', '/.well-known/openpgpkey/:domain/hu/:hash', async (_, params, url, client) => {
				await ctx.limits.lookup.take(client.address);
				return wkdKeys(ctx, params.domain, params.hash, url);
			})
	);
}

/** Requests whose client the server could not name share one set of per-network limits. */
const UNKNOWN_CLIENT: Client = { address: 'unknown' };

export function createRelay(options: RelayOptions): Relay {
	const now = options.now ?? (() => new Date());
	const logger = createLogger(options.log ?? ((line) => process.stdout.write(`${line}\n`)));
	const ctx: RelayContext = {
		storage: options.storage,
		domain: options.domain.toLowerCase(),
		origin: options.origin,
		mirrorOrigin: options.mirrorOrigin,
		version: options.version,
		now,
		logger,
		limits: rateLimiters(
			{ ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
			now,
			options.sharedRateLimits ? options.storage.sharedCounters : undefined
		),
		// Called only by requests, which come after `federation` exists.
		outbound: { kick: () => federation.worker.kick() },
		powBits: options.powBits ?? 0,
		operatorAddresses: options.operatorAddresses ?? new Map(),
		accountQuotaBytes: options.accountQuotaBytes ?? DEFAULT_ACCOUNT_QUOTA_BYTES
	};
	const federation = createFederation(ctx, options.federation ?? {});
	const events = new MailboxEvents(options.storage);
	const router = routes(
		ctx,
		options.blockQuotaBytes ?? DEFAULT_BLOCK_QUOTA_BYTES,
		federation,
		events
	);

	async function respond(
		request: Request,
		method: string,
		client: Client
	): Promise<{ response: Response; route: string }> {
		const url = new URL(request.url);
		let route = '(no route)';
		try {
			const resolved = router.resolve(method, url);
			route = resolved.pattern;
			return { response: await resolved.handler(request, resolved.params, url, client), route };
		} catch (error) {
			if (error instanceof RelayError) return { response: errorResponse(error), route };
			// Only the error's own message and stack, not its other fields (a database error can
			// carry query parameters): request bodies, tokens and keys stay out of logs.
			const described =
				error instanceof Error
					? { message: error.message, stack: error.stack }
					: { message: String(error) };
			logger.error({ method: request.method, route, error: described }, 'unexpected error');
			const internal = new RelayError(
				500,
				'internal',
				'Something went wrong on the relay; try again later.'
			);
			return { response: errorResponse(internal), route };
		}
	}

	return {
		async handle(request, client = UNKNOWN_CLIENT) {
			const started = performance.now();
			// HEAD is GET without the body, as HTTP defines it; WKD checkers use it.
			const head = request.method === 'HEAD';
			const { response, route } = await respond(request, head ? 'GET' : request.method, client);
			logger.info({
				method: request.method,
				route,
				status: response.status,
				ms: Math.round(performance.now() - started)
			});
			if (!head) return response;
			// Nobody reads the body of a HEAD answer: release it (an event stream would stay open).
			await response.body?.cancel();
			return new Response(null, response);
		},
		endpoints: router.list(),
		async close() {
			await events.close();
			await federation.worker.stop();
			await options.storage.close();
		}
	};
}
