// Relay-to-relay connections through a SOCKS5 proxy (Tor's SOCKS port), by the `socks` package.
// The target goes to the proxy as a host name (SOCKS5 address type 3), so the proxy resolves it
// and neither `.onion` addresses nor the names of peers reach the local resolver.
import type { Socket } from 'node:net';
import { SocksClient } from 'socks';

export interface SocksProxy {
	host: string;
	port: number;
	/** Sent with SOCKS5 username/password authentication. Tor keeps streams with different
	 * credentials on different circuits (IsolateSOCKSAuth), so they separate this relay's
	 * traffic from other users of the same Tor. */
	username?: string;
	password?: string;
}

/** `socks5://[user:password@]host:port` (or `socks5h://`), as LETTERLOCK_SOCKS_PROXY gives it. */
export function parseSocksProxy(text: string): SocksProxy {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		url = new URL('invalid:');
	}
	if (!['socks5:', 'socks5h:'].includes(url.protocol) || !url.hostname || !url.port) {
		throw new Error(
			`LETTERLOCK_SOCKS_PROXY: "${text}" is not like "socks5://127.0.0.1:9050" (scheme, host and port).`
		);
	}
	const proxy: SocksProxy = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
	if (url.username || url.password) {
		proxy.username = decodeURIComponent(url.username);
		proxy.password = decodeURIComponent(url.password);
	}
	return proxy;
}

/** A socket connected through `proxy` to `host:port`, once the proxy says the tunnel is up. */
export async function socksConnect(
	proxy: SocksProxy,
	host: string,
	port: number,
	timeoutMs: number
): Promise<Socket> {
	const { socket } = await SocksClient.createConnection({
		proxy: {
			host: proxy.host,
			port: proxy.port,
			type: 5,
			userId: proxy.username,
			password: proxy.password
		},
		command: 'connect',
		destination: { host, port },
		timeout: timeoutMs
	});
	return socket;
}
