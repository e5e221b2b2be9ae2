// The relay as one fetch-style function: Request in, Response out. It knows nothing of SvelteKit
// or node:http, so the app's routes and the tests' plain HTTP server share the same code.
import {
	ChallengeRequest,
	LoginRequest,
	RegisterRequest,
	splitAddress,
	type RelayInfo
} from '$lib/protocol';
import { issueChallenge, login, logout } from './auth';
import type { RelayContext } from './context';
import { lookupKeys, wkdKeys, wkdPolicy } from './directory';
import { RelayError } from './errors';
import { errorResponse, json, readJson } from './http';
import { acceptPublicKey } from './keys';
import { getMessage, listMessages, sendMessage } from './mail';
import { Router } from './router';
import type { Storage } from './storage/types';

export interface RelayOptions {
	storage: Storage;
	/** The mail domain: accounts are `local@domain`. */
	domain: string;
	/** Public origin, written into login challenges. */
	origin: string;
	version: string;
	/** The clock; tests move it to expire challenges and sessions. */
	now?: () => Date;
	log?: (line: string) => void;
}

export interface Relay {
	handle(request: Request): Promise<Response>;
	/** Closes the storage; the relay must not be used afterwards. */
	close(): Promise<void>;
}

async function register(ctx: RelayContext, request: Request): Promise<Response> {
	const body = await readJson(request, RegisterRequest);
	if (splitAddress(body.address).domain !== ctx.domain) {
		throw new RelayError(
			422,
			'wrong-domain',
			`This relay hosts addresses ending in @${ctx.domain}; ${body.address} belongs elsewhere.`
		);
	}
	const key = await acceptPublicKey(body.publicKey, body.address, ctx.now());
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

function routes(ctx: RelayContext): Router {
	const info: RelayInfo = { domain: ctx.domain, origin: ctx.origin, version: ctx.version };
	return (
		new Router()
			.add('GET', '/api/info', async () => json(200, info))
			.add('POST', '/api/accounts', (request) => register(ctx, request))
			.add('POST', '/api/auth/challenge', async (request) => {
				const { address } = await readJson(request, ChallengeRequest);
				return json(200, await issueChallenge(ctx, address));
			})
			.add('POST', '/api/auth/sessions', async (request) =>
				json(201, await login(ctx, await readJson(request, LoginRequest)))
			)
			.add('DELETE', '/api/auth/sessions/current', async (request) => {
				await logout(ctx, request.headers.get('authorization'));
				return new Response(null, { status: 204 });
			})
			.add('GET', '/api/keys/:address', (_, params) => lookupKeys(ctx, params.address))
			.add('POST', '/api/messages', (request) => sendMessage(ctx, request))
			.add('GET', '/api/mailboxes/:address/messages', (request, params, url) =>
				listMessages(ctx, request, params.address, url)
			)
			.add('GET', '/api/mailboxes/:address/messages/:id', (request, params) =>
				getMessage(ctx, request, params.address, params.id)
			)
			.add('GET', '/.well-known/openpgpkey/policy', async () => wkdPolicy(ctx, undefined))
			.add('GET', '/.well-known/openpgpkey/hu/:hash', (_, params, url) =>
				wkdKeys(ctx, undefined, params.hash, url)
			)
			// The advanced layout, for when openpgpkey.<domain> points at this relay.
			.add('GET', '/.well-known/openpgpkey/:domain/policy', async (_, params) =>
				wkdPolicy(ctx, params.domain)
			)
			.add('GET', '/.well-known/openpgpkey/:domain/hu/:hash', (_, params, url) =>
				wkdKeys(ctx, params.domain, params.hash, url)
			)
	);
}

export function createRelay(options: RelayOptions): Relay {
	const ctx: RelayContext = {
		storage: options.storage,
		domain: options.domain.toLowerCase(),
		origin: options.origin,
		version: options.version,
		now: options.now ?? (() => new Date()),
		log: options.log ?? ((line) => console.error(line))
	};
	const router = routes(ctx);

	async function respond(request: Request, method: string): Promise<Response> {
		const url = new URL(request.url);
		try {
			const { handler, params } = router.resolve(method, url);
			return await handler(request, params, url);
		} catch (error) {
			if (error instanceof RelayError) return errorResponse(error);
			// Only the error's own description: request bodies, tokens and keys stay out of logs.
			ctx.log(
				`relay: unexpected error on ${request.method} ${url.pathname}: ${
					error instanceof Error ? (error.stack ?? error.message) : String(error)
				}`
			);
			return errorResponse(
				new RelayError(500, 'internal', 'Something went wrong on the relay; try again later.')
			);
		}
	}

	return {
		async handle(request) {
			// HEAD is GET without the body, as HTTP defines it; WKD checkers use it.
			if (request.method !== 'HEAD') return respond(request, request.method);
			return new Response(null, await respond(request, 'GET'));
		},
		close: () => options.storage.close()
	};
}
