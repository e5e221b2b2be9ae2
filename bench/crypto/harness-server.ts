// A small loopback server for the crypto benchmark page: it serves the built app's files (so
// the page loads the real crypto worker bundle from the same origin), the page's own script
// (bench/crypto/page.ts bundled on the fly), and the bytes to encrypt.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';
import { build } from 'esbuild';
import { CLIENT_DIR, isCryptoWorker } from '../lib/build-output';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Letterlock crypto benchmark</title>
<script type="module" src="/bench/page.js"></script>
`;

export interface HarnessServer {
	origin: string;
	close(): Promise<void>;
}

/** `dataFile` holds the bytes the page asks for with /bench/data?bytes=N (a prefix of it). */
export async function startHarness(port: number, dataFile: string): Promise<HarnessServer> {
	const bundled = await build({
		entryPoints: [join(import.meta.dirname, 'page.ts')],
		bundle: true,
		format: 'esm',
		target: 'es2022',
		write: false
	});
	const script = bundled.outputFiles[0]!.text;
	const dataBytes = statSync(dataFile).size;

	const server: Server = createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://localhost');
		if (url.pathname === '/') {
			response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
		} else if (url.pathname === '/bench/page.js') {
			response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
		} else if (url.pathname === '/bench/data') {
			const bytes = Number(url.searchParams.get('bytes'));
			if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes > dataBytes) {
				response.writeHead(400).end(`Ask for 1 to ${dataBytes} bytes.`);
				return;
			}
			response.writeHead(200, {
				'content-type': 'application/octet-stream',
				'content-length': String(bytes)
			});
			createReadStream(dataFile, { end: bytes - 1 }).pipe(response);
		} else if (isCryptoWorker(url.pathname) && !url.pathname.includes('..')) {
			const path = normalize(join(CLIENT_DIR, url.pathname));
			if (!existsSync(path)) {
				response.writeHead(404).end('No such file in the build.');
				return;
			}
			response.writeHead(200, { 'content-type': 'text/javascript' });
			createReadStream(path).pipe(response);
		} else {
			response.writeHead(404).end('Not part of the benchmark page.');
		}
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		origin: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}
