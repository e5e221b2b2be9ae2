// Serves the built app like `node build`, adding the security headers to every response.
// adapter-node answers static files (scripts, styles, the crypto worker, the service worker)
// before SvelteKit's hooks run, and a worker runs under the policy of its own script's
// response, so those responses need the headers set here. Pages get theirs from
// src/hooks.server.ts (SvelteKit's own values win over the ones set here). The relay's paths
// (/api, /.well-known) go straight to the relay core, past the static-file lookup and SvelteKit,
// which cost a small request most of its time (bench/README.md); its own headers win there.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ASSET_CSP, SECURITY_HEADERS } from '../src/lib/security/headers.js';

// Imported by URL so type checking does not wander into the generated build.
const { handler } = await import(pathToFileURL(resolve('build/handler.js')).href);
// Left by the init hook that ran as the build loaded (src/lib/server/instance.ts).
const makeRelayListener =
	/** @type {typeof import('../src/lib/server/instance').makeRelayListener | undefined} */ (
		/** @type {Record<symbol, unknown>} */ (globalThis)[Symbol.for('letterlock.relay-listener')]
	);

const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);
// The onion service's own listener (ONION_PORT, on ONION_HOST or loopback): Tor sends every onion
// visitor from its loopback address and adds no proxy header, so a header an onion visitor sends
// is forged. Requests there all count as one client, "onion", whatever they claim.
const onionPort = process.env.ONION_PORT ? Number(process.env.ONION_PORT) : undefined;
const onionHost = process.env.ONION_HOST || '127.0.0.1';
const addressHeader = (process.env.ADDRESS_HEADER || '').toLowerCase();
const xffDepth = Number(process.env.XFF_DEPTH || 1);
const relay = makeRelayListener?.({
	// The relay reads only the path and query of a request's URL; its origin is configured.
	origin: new URL(process.env.ORIGIN || 'http://localhost').origin,
	header: addressHeader,
	xffDepth
});

if (onionPort !== undefined && (!Number.isInteger(onionPort) || onionPort === port)) {
	console.error(`ONION_PORT: "${process.env.ONION_PORT}" must be a port other than PORT.`);
	process.exit(1);
}

/** @param {import('node:http').IncomingMessage} req */
function countAsOnion(req) {
	// adapter-node reads the client address from ADDRESS_HEADER when it is set (the XFF_DEPTH-th
	// entry from the right for X-Forwarded-For), from the socket otherwise.
	if (addressHeader === 'x-forwarded-for') {
		req.headers[addressHeader] = Array(xffDepth).fill('onion').join(', ');
	} else if (addressHeader) {
		req.headers[addressHeader] = 'onion';
	}
}

/** The relay's paths: the API and the well-known documents (WKD, the relay document); only
 * origin-form request targets, anything else is SvelteKit's.
 * @param {string | undefined} target */
const isRelayPath = (target) =>
	target !== undefined && /^\/(api|\.well-known)(\/|\?|$)/.test(target);

/** @type {import('node:http').RequestListener} */
function serve(req, res) {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
	res.setHeader('content-security-policy', ASSET_CSP);
	// A 304 updates the headers the browser stored with the page (RFC 9111, 4.3.4): one without
	// the page's own policy would replace it, and the revalidated page (or the service worker's
	// copy of it) would then refuse its own boot script. A 304 keeps the stored policy instead.
	const writeHead = res.writeHead.bind(res);
	res.writeHead = /** @type {typeof res.writeHead} */ (
		(/** @type {number} */ status, /** @type {[]} */ ...rest) => {
			if (status === 304) res.removeHeader('content-security-policy');
			return writeHead(status, ...rest);
		}
	);
	if (relay && isRelayPath(req.url)) {
		relay(req, res);
		return;
	}
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
}

const server = createServer(serve);
server.listen(port, host, () => console.log(`Listening on http://${host}:${port}`));
const servers = [server];
if (onionPort !== undefined) {
	const onion = createServer((req, res) => {
		countAsOnion(req);
		serve(req, res);
	});
	onion.listen(onionPort, onionHost, () =>
		console.log(`Listening for the onion service on http://${onionHost}:${onionPort}`)
	);
	servers.push(onion);
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.once(signal, () => {
		let open = servers.length;
		for (const listening of servers) {
			listening.close(() => --open === 0 && process.exit(0));
			listening.closeIdleConnections();
		}
		// Long-running requests get a moment to finish, then the process goes anyway.
		setTimeout(() => process.exit(0), 10_000).unref();
	});
}
