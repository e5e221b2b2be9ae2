// Where the built app's browser files are (`npm run build` writes them) and what they weigh.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CLIENT_DIR = join(import.meta.dirname, '..', '..', 'build', 'client');

const WORKERS = '/_app/immutable/workers/';

/** The crypto worker's URL path in the build; there is exactly one. */
export function cryptoWorkerPath(): string {
	const directory = join(CLIENT_DIR, WORKERS);
	const names = existsSync(directory)
		? readdirSync(directory).filter((name) => /^worker-.*\.js$/.test(name))
		: [];
	if (names.length !== 1) {
		throw new Error(
			`Expected one crypto worker in ${directory}, found ${names.length}; run \`npm run build\`.`
		);
	}
	return WORKERS + names[0];
}

export function isCryptoWorker(path: string): boolean {
	return path.startsWith(WORKERS);
}

/** Gzipped size of a built file, from the .gz file adapter-node precompressed and serves. */
export function gzippedBytes(path: string): number {
	const file = join(CLIENT_DIR, `${path}.gz`);
	if (!existsSync(file)) throw new Error(`${path} is not a precompressed file of the build.`);
	return statSync(file).size;
}
