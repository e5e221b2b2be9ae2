// Login by signature: the relay issues a one-time challenge naming itself and the address, the
// client signs it with the account key and the login notation (protocol/login-challenge.ts), and
// the relay answers with a bearer token of which it keeps only the SHA-256. A leaked database
// therefore holds no usable tokens.
//
// Timing: a token is found by looking up the SHA-256 of what the caller sent. The database
// compares that hash with stored hashes byte by byte, but an attacker who learns how many leading
// bytes of the hash of their guess match a stored hash learns nothing about the token behind it
// (SHA-256 is preimage-resistant), so the comparison leaks nothing useful. Where two secrets are
// compared directly (the challenge text), the comparison is constant-time.
import * as openpgp from 'openpgp';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
	formatLoginChallenge,
	LOGIN_CHALLENGE_LIFETIME_MS,
	LOGIN_NOTATION,
	parseLoginChallenge
} from '$lib/protocol/login-challenge';
import { RelayError, unauthorised } from './errors';
import type { Storage } from './storage/types';

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export interface AuthContext {
	storage: Storage;
	origin: string;
	/** Another origin this same relay answers on (the onion mirror, ONION_LOCATION): a client
	 * there checks that its challenge names it, so a challenge asked for through it does. */
	mirrorOrigin?: string;
	now: () => Date;
}

const randomToken = () => randomBytes(32).toString('base64url');

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The exact text a client signs; rebuilt from stored facts at login, so nothing the client sends
 * besides the nonce is trusted. The issue time is not stored: it is the expiry less the lifetime. */
function challengeText(origin: string, address: string, nonce: string, expiresAt: string): string {
	const issuedAt = new Date(Date.parse(expiresAt) - LOGIN_CHALLENGE_LIFETIME_MS).toISOString();
	return formatLoginChallenge({ relay: origin, address, nonce, issuedAt, expiresAt });
}

/** The origin a request came in on, as its Host header names it: the mirror's, or the main one. */
function originOf(ctx: AuthContext, host: string | null): string {
	return ctx.mirrorOrigin && host === new URL(ctx.mirrorOrigin).host
		? ctx.mirrorOrigin
		: ctx.origin;
}

export async function issueChallenge(
	ctx: AuthContext,
	address: string,
	host: string | null = null
): Promise<{ challenge: string; expiresAt: string }> {
	if (!(await ctx.storage.getAccount(address))) {
		throw new RelayError(404, 'unknown-address', `There is no account ${address} on this relay.`);
	}
	const now = ctx.now();
	const nonce = randomToken();
	const expiresAt = new Date(now.getTime() + LOGIN_CHALLENGE_LIFETIME_MS).toISOString();
	await ctx.storage.createChallenge({ nonce, address, expiresAt }, now.toISOString());
	return { challenge: challengeText(originOf(ctx, host), address, nonce, expiresAt), expiresAt };
}

export async function login(
	ctx: AuthContext,
	request: { address: string; challenge: string; signature: string }
): Promise<{ token: string; expiresAt: string }> {
	const rejected = unauthorised(
		'That login challenge was not issued by this relay for this address; ask for a new one.'
	);
	const nonce = parseLoginChallenge(request.challenge)?.nonce;
	const stored = nonce ? await ctx.storage.getChallenge(nonce) : undefined;
	if (!nonce || !stored || stored.address !== request.address) throw rejected;
	const issued = [ctx.origin, ...(ctx.mirrorOrigin ? [ctx.mirrorOrigin] : [])].map((origin) =>
		challengeText(origin, stored.address, nonce, stored.expiresAt)
	);
	if (!issued.some((text) => sameText(request.challenge, text))) throw rejected;
	const now = ctx.now();
	if (stored.used) throw unauthorised('That login challenge was already used; ask for a new one.');
	if (new Date(stored.expiresAt) <= now) {
		throw unauthorised('That login challenge expired; ask for a new one.');
	}

	const account = await ctx.storage.getAccount(request.address);
	if (!account) throw rejected;
	await verifySignature(account.publicKey, request.challenge, request.signature, now);

	const token = randomToken();
	const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS).toISOString();
	const redeemed = await ctx.storage.redeemChallenge(nonce, now.toISOString(), {
		tokenHash: hashToken(token),
		address: account.address,
		expiresAt
	});
	// Lost a race with another login presenting the same challenge.
	if (!redeemed) throw unauthorised('That login challenge was already used; ask for a new one.');
	return { token, expiresAt };
}

/** Constant-time for equal lengths; the length of a challenge is no secret. */
function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.byteLength === right.byteLength && timingSafeEqual(left, right);
}

async function verifySignature(
	armoredKey: string,
	text: string,
	armoredSignature: string,
	date: Date
): Promise<void> {
	const badSignature = unauthorised(
		"The signature does not match this account's key; sign the challenge with the key you registered."
	);
	let signature: openpgp.Signature;
	try {
		signature = await openpgp.readSignature({ armoredSignature });
	} catch {
		throw badSignature;
	}
	// Only a signature marked as a login is one: any other signature by this key (a letter's, a
	// forwarded original's) over the same text proves nothing about wanting to sign in, and a
	// client that does not mark its login signatures also does not check what it signs.
	const marked =
		signature.packets.length > 0 &&
		signature.packets.every((packet) =>
			packet.rawNotations.some((notation) => notation.name === LOGIN_NOTATION && notation.critical)
		);
	if (!marked) {
		throw unauthorised(
			'That signature is not marked as a login signature; update your Letterlock app, then sign in again.'
		);
	}
	const key = await openpgp.readKey({ armoredKey });
	try {
		await openpgp.verify({
			message: await openpgp.createMessage({ text }),
			signature,
			verificationKeys: key,
			expectSigned: true,
			date,
			config: { knownNotations: [LOGIN_NOTATION] }
		});
	} catch {
		throw badSignature;
	}
}

const TOKEN = /^Bearer ([A-Za-z0-9_-]{43})$/;

async function session(
	ctx: AuthContext,
	authorization: string | null
): Promise<{ address: string; tokenHash: string }> {
	if (!authorization) throw unauthorised('Sign in first: this needs an Authorization header.');
	const token = TOKEN.exec(authorization)?.[1];
	const tokenHash = token ? hashToken(token) : undefined;
	const found = tokenHash ? await ctx.storage.getSession(tokenHash) : undefined;
	if (!tokenHash || !found || found.revoked) {
		throw unauthorised('That session token is not valid; sign in again.');
	}
	if (new Date(found.expiresAt) <= ctx.now()) {
		throw unauthorised('Your session expired; sign in again.');
	}
	return { address: found.address, tokenHash };
}

/** The address the bearer token in `authorization` belongs to; 401 for anything else. */
export async function authenticate(
	ctx: AuthContext,
	authorization: string | null
): Promise<string> {
	return (await session(ctx, authorization)).address;
}

export async function logout(ctx: AuthContext, authorization: string | null): Promise<void> {
	await ctx.storage.revokeSession((await session(ctx, authorization)).tokenHash);
}

/** The public name of a session: derived from the token hash so that nothing new is stored, and
 * one-way so that listing sessions never reveals what identifies a token in the database. */
const sessionId = (tokenHash: string) =>
	createHash('sha256').update(`letterlock-session-id\n${tokenHash}`).digest('hex').slice(0, 32);

export interface SessionInfo {
	id: string;
	createdAt: string;
	expiresAt: string;
	/** True for the session whose token made this request. */
	current: boolean;
}

/** The caller's own live sessions, newest first. */
export async function listSessions(
	ctx: AuthContext,
	authorization: string | null
): Promise<SessionInfo[]> {
	const caller = await session(ctx, authorization);
	const sessions = await ctx.storage.listSessions(caller.address, ctx.now().toISOString());
	return sessions
		.map((found) => ({
			id: sessionId(found.tokenHash),
			createdAt: new Date(Date.parse(found.expiresAt) - SESSION_LIFETIME_MS).toISOString(),
			expiresAt: found.expiresAt,
			current: found.tokenHash === caller.tokenHash
		}))
		.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Revokes one of the caller's own sessions; another account's session id is simply not found. */
export async function revokeSession(
	ctx: AuthContext,
	authorization: string | null,
	id: string | undefined
): Promise<void> {
	const caller = await session(ctx, authorization);
	const sessions = await ctx.storage.listSessions(caller.address, ctx.now().toISOString());
	const target = sessions.find((found) => sameText(sessionId(found.tokenHash), id ?? ''));
	if (!target) {
		throw new RelayError(404, 'not-found', 'You have no such session; it may have ended already.');
	}
	await ctx.storage.revokeSession(target.tokenHash);
}
