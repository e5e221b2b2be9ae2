// `npm start`: build the app if the build is missing or older than the sources, then serve the
// app and the relay from one Node process (adapter-node), with the embedded defaults.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = [
	'src',
	'service-worker',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'package-lock.json'
];
const BUILD_STAMP = 'build/index.js';

/**
 * @param {string} path
 * @returns {number} the newest modification time of the file or of anything under the folder
 */
function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), 0);
}

const stale =
	!existsSync(BUILD_STAMP) ||
	SOURCES.some((source) => newestMtime(source) > statSync(BUILD_STAMP).mtimeMs);
if (stale) {
	console.log('Building Letterlock (sources changed since the last build)…');
	const result = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ??= '3000';
process.env.HOST ??= '0.0.0.0';
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
process.env.LETTERLOCK_DATA ??= './data';
// SvelteKit's own routes only: scripts/serve.js hands the relay's requests to the relay core,
// which enforces its own per-route limits (an 8 MiB block at most).
process.env.BODY_SIZE_LIMIT ??= '9M';
process.env.LETTERLOCK_DOMAIN ??= 'localhost';

console.log(
	`Letterlock on ${process.env.ORIGIN} for @${process.env.LETTERLOCK_DOMAIN} addresses; data in ${
		process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : process.env.LETTERLOCK_DATA
	}`
);
await import('./serve.js');
