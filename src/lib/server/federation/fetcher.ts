// HTTP between relays, on node:http so that it can run through a SOCKS5 proxy: with a proxy
// every request goes through it (the relay's own address stays hidden); `.onion` hosts are
// reached only through it.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
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

/** A network failure, told apart from an answer: the caller may try again later. */
export class UnreachableError extends Error {}

/** Relays answer in a few kilobytes; anything much larger is not a relay. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export function federationFetch(options: {
	proxy?: SocksProxy;
	timeoutMs: number;
}): FederationFetch {
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
		const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
		const requestOptions: RequestOptions = {
			method: init.method,
			headers: {
				...init.headers,
				...(init.body === undefined ? {} : { 'content-length': Buffer.byteLength(init.body) })
			}
		};
		if (options.proxy) {
			const host = url.hostname.replace(/^\[|\]$/g, '');
			const socket = await socksConnect(options.proxy, host, port, options.timeoutMs).catch(
				(error: unknown) => {
					throw new UnreachableError(`SOCKS proxy: ${(error as Error).message}`);
				}
			);
			// SNI names hosts, never IP addresses (RFC 6066).
			const servername = isIP(host) ? undefined : host;
			const stream = url.protocol === 'https:' ? tlsConnect({ socket, servername }) : socket;
			requestOptions.createConnection = () => stream;
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
				(error: Error) =>
					reject(error instanceof UnreachableError ? error : new UnreachableError(error.message))
			);
		});
		outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error('no answer in time')));
		outgoing.on('error', (error) => reject(new UnreachableError(error.message)));
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
