// Serves the built app like `node build`, adding the security headers to every response.
// adapter-node answers static files (scripts, styles, the crypto worker, the service worker)
// before SvelteKit's hooks run, and a worker runs under the policy of its own script's
// response, so those responses need the headers set here. Pages and the relay API get theirs
// from src/hooks.server.ts (SvelteKit's own values win over the ones set here).
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ASSET_CSP, SECURITY_HEADERS } from '../src/lib/security/headers.js';

// Imported by URL so type checking does not wander into the generated build.
const { handler } = await import(pathToFileURL(resolve('build/handler.js')).href);

const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);

const server = createServer((req, res) => {
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
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});

server.listen(port, host, () => console.log(`Listening on http://${host}:${port}`));

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.once(signal, () => {
		server.close(() => process.exit(0));
		server.closeIdleConnections();
		// Long-running requests get a moment to finish, then the process goes anyway.
		setTimeout(() => process.exit(0), 10_000).unref();
	});
}
