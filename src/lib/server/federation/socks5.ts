// A minimal SOCKS5 client (RFC 1928): no authentication, CONNECT by host name. The proxy resolves
// the name, so neither `.onion` addresses nor the names of peers leak to the local resolver.
import { connect, type Socket } from 'node:net';

export interface SocksProxy {
	host: string;
	port: number;
}

/** `socks5://host:port` (or `socks5h://`), as LETTERLOCK_SOCKS_PROXY gives it. */
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
	return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
}

const REPLIES: Record<number, string> = {
	1: 'general failure',
	2: 'connection not allowed',
	3: 'network unreachable',
	4: 'host unreachable',
	5: 'connection refused',
	6: 'TTL expired',
	7: 'command not supported',
	8: 'address type not supported'
};

/** Reads exactly the bytes asked for from a socket that is still in its handshake. */
function byteReader(socket: Socket) {
	let buffered = Buffer.alloc(0);
	let waiting: { size: number; resolve: (bytes: Buffer) => void } | undefined;
	let failure: Error | undefined;
	let reject: ((error: Error) => void) | undefined;
	const deliver = () => {
		if (!waiting || buffered.length < waiting.size) return;
		const bytes = buffered.subarray(0, waiting.size);
		buffered = buffered.subarray(waiting.size);
		const { resolve } = waiting;
		waiting = undefined;
		resolve(bytes);
	};
	const fail = (error: Error) => {
		failure = error;
		reject?.(error);
	};
	const onData = (chunk: Buffer) => {
		buffered = Buffer.concat([buffered, chunk]);
		deliver();
	};
	socket.on('data', onData);
	socket.on('error', fail);
	socket.on('close', () => fail(new Error('the SOCKS proxy closed the connection')));
	return {
		read(size: number): Promise<Buffer> {
			if (failure) return Promise.reject(failure);
			return new Promise((resolve, rejectRead) => {
				waiting = { size, resolve };
				reject = rejectRead;
				deliver();
			});
		},
		/** Hands the socket over: from here on its bytes belong to the tunnelled connection. */
		release() {
			socket.off('data', onData);
			socket.removeAllListeners('error');
			socket.removeAllListeners('close');
		}
	};
}

/** A socket connected through `proxy` to `host:port`, once the proxy says the tunnel is up. */
export async function socksConnect(
	proxy: SocksProxy,
	host: string,
	port: number,
	timeoutMs: number
): Promise<Socket> {
	const name = Buffer.from(host, 'utf8');
	if (name.length > 255) throw new Error('The host name is too long for SOCKS5.');
	const socket = connect(proxy.port, proxy.host);
	socket.setTimeout(timeoutMs, () => socket.destroy(new Error('the SOCKS proxy timed out')));
	const reader = byteReader(socket);
	try {
		socket.write(Buffer.from([5, 1, 0]));
		const greeting = await reader.read(2);
		if (greeting[0] !== 5 || greeting[1] !== 0) {
			throw new Error('the SOCKS proxy wants an authentication method this relay does not offer');
		}
		const request = Buffer.alloc(7 + name.length);
		request.set([5, 1, 0, 3, name.length]);
		name.copy(request, 5);
		request.writeUInt16BE(port, 5 + name.length);
		socket.write(request);
		const head = await reader.read(4);
		if (head[0] !== 5 || head[1] !== 0) {
			throw new Error(`the SOCKS proxy could not connect: ${REPLIES[head[1]!] ?? 'unknown reply'}`);
		}
		const addressLength = head[3] === 1 ? 4 : head[3] === 4 ? 16 : (await reader.read(1))[0]!;
		await reader.read(addressLength + 2);
		reader.release();
		socket.setTimeout(0);
		return socket;
	} catch (error) {
		socket.destroy();
		throw error;
	}
}
