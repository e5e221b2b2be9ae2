// HTTP between relays, on node:http so that it can run through a SOCKS5 proxy: with a proxy
// every request goes through it (the relay's own address stays hidden, and host names go to the
// proxy unresolved); `.onion` hosts are reached only through it. Every request that does not go
// to a configured peer must land on a public address: the check runs inside the socket's own
// name lookup, so the address checked is the address connected to (no DNS rebinding between).
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { isPublicAddress } from './public-address';
import { socksConnect, type SocksProxy } from './socks5';

export interface FederationResponse {
	status: number;
	body: string;
}

export interface FederationRequest {
	method: 'GET' | 'POST';
	headers?: Record<string, string>;
	body?: string;
}

export type FederationFetch = (url: string, init: FederationRequest) => Promise<FederationResponse>;

/** Names that mean the machine that resolves them (RFC 6761), whoever that is. */
const LOCAL_NAME = /(^|\.)localhost$/;

/** A network failure, told apart from an answer: the caller may try again later. The message is
 * a plain sentence for whoever asked; the socket's own words (addresses, ports) stay in `cause`. */
export class UnreachableError extends Error {}

/** The target is loopback, a private network or otherwise not the public internet, and no
 * configured peer: nothing was sent, and asking again will not help. */
export class ForbiddenTargetError extends UnreachableError {
	constructor() {
		super('Relays do not connect to that address.');
	}
}

/** Host name to addresses, as `dns.lookup(name, { all: true })` answers. */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A `lookup` for node:net that resolves once, refuses the lot if any address is not public
 * (unless `anywhere`), and hands the addresses it checked to the connection. */
function checkedLookup(resolve: ResolveHost, anywhere: boolean): LookupFunction {
	return (hostname, options, callback) => {
		resolve(hostname).then(
			(found) => {
				const wanted = found.filter((entry) => !options.family || entry.family === options.family);
				if (wanted.length === 0) {
					const none = Object.assign(new Error(`${hostname} has no address`), {
						code: 'ENOTFOUND'
					});
					return callback(none, '', 0);
				}
				if (!anywhere && !wanted.every((entry) => isPublicAddress(entry.address))) {
					return callback(new ForbiddenTargetError(), '', 0);
				}
				if (options.all) return callback(null, wanted);
				callback(null, wanted[0]!.address, wanted[0]!.family);
			},
			(error: NodeJS.ErrnoException) => callback(error, '', 0)
		);
	};
}

const TIMEOUT = 'no answer in time';

function unreachable(cause: unknown): UnreachableError {
	if (cause instanceof UnreachableError) return cause;
	const timedOut = cause instanceof Error && cause.message === TIMEOUT;
	return new UnreachableError(
		timedOut ? 'The relay did not answer in time.' : 'The relay could not be reached.',
		{ cause }
	);
}

/** Relays answer in a few kilobytes; anything much larger is not a relay. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export function federationFetch(options: {
	proxy?: SocksProxy;
	timeoutMs: number;
	/** Origins the operator configured (LETTERLOCK_PEERS): reached wherever they point. */
	isPeer?: (origin: string) => boolean;
	/** Names to addresses for direct connections; the system resolver unless a test hands one in. */
	resolve?: ResolveHost;
}): FederationFetch {
	const resolve = options.resolve ?? systemResolve;
	return async (text, init) => {
		const url = new URL(text);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			throw new UnreachableError(`${url.protocol} is not a protocol relays speak.`);
		}
		if (url.hostname.endsWith('.onion') && !options.proxy) {
			throw new UnreachableError(
				`${url.hostname} is an onion address: set LETTERLOCK_SOCKS_PROXY to reach it through Tor.`
			);
		}
		const host = url.hostname.replace(/^\[|\]$/g, '');
		const anywhere = options.isPeer?.(url.origin) ?? false;
		// An address in the URL skips the lookup below, and a proxy resolves names on its own
		// machine, where "localhost" is that machine: both are checked here.
		if (!anywhere && (isIP(host) ? !isPublicAddress(host) : LOCAL_NAME.test(host))) {
			throw new ForbiddenTargetError();
		}
		const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
		const requestOptions: RequestOptions = {
			method: init.method,
			headers: {
				...init.headers,
				...(init.body === undefined ? {} : { 'content-length': Buffer.byteLength(init.body) })
			}
		};
		if (options.proxy) {
			// The proxy resolves the name: nothing about the target reaches the local resolver.
			const socket = await socksConnect(options.proxy, host, port, options.timeoutMs).catch(
				(error: unknown) => {
					throw new UnreachableError('The relay could not be reached through the SOCKS proxy.', {
						cause: error
					});
				}
			);
			// SNI names hosts, never IP addresses (RFC 6066).
			const servername = isIP(host) ? undefined : host;
			const stream = url.protocol === 'https:' ? tlsConnect({ socket, servername }) : socket;
			requestOptions.createConnection = () => stream;
		} else {
			requestOptions.lookup = checkedLookup(resolve, anywhere);
		}
		return send(url, requestOptions, init.body, options.timeoutMs);
	};
}

function send(
	url: URL,
	options: RequestOptions,
	body: string | undefined,
	timeoutMs: number
): Promise<FederationResponse> {
	const request =
		url.protocol === 'https:' && !options.createConnection ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const outgoing = request(url, options, (response) => {
			readBody(response).then(
				(text) => resolve({ status: response.statusCode ?? 0, body: text }),
				(error: Error) => reject(unreachable(error))
			);
		});
		outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(TIMEOUT)));
		outgoing.on('error', (error) => reject(unreachable(error)));
		outgoing.end(body);
	});
}

async function readBody(response: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of response as AsyncIterable<Buffer>) {
		total += chunk.length;
		if (total > MAX_RESPONSE_BYTES) {
			response.destroy();
			throw new UnreachableError('The answer was far larger than any relay answer.');
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}
