// One chunk for the code every first visit runs before the unlock screen (SvelteKit's client, the
// root layout, the start page, which shows the unlock screen, and the error page), instead of a
// dozen small shared chunks. Browsers open at most six connections to a host over HTTP/1.1, and an
// onion service has nothing else, so every file past the sixth waits a whole round trip (over half
// a second on Tor) for a free connection. Code only later pages need stays out of it, so the
// first load weighs what it did; everything it captures was loaded before unlocking anyway.
import { resolve } from 'node:path';

/** The modules SvelteKit's client starts from on any first visit; nodes 0 and 1 are always the
 * root layout and the root error page. */
const ROOTS = [
	'.svelte-kit/generated/client-optimized/app.js',
	'.svelte-kit/generated/client-optimized/nodes/0.js',
	'.svelte-kit/generated/client-optimized/nodes/1.js',
	'node_modules/@sveltejs/kit/src/runtime/client/entry.js',
	'src/routes/+page.svelte'
];

/** @typedef {{ getModuleInfo(id: string): { importedIds: readonly string[] } | null }} Graph */

/** Every module statically imported, however deeply, from the roots. */
function firstLoadModules(/** @type {Graph} */ graph) {
	const found = new Set(ROOTS.map((path) => resolve(path)));
	for (const id of found) {
		for (const imported of graph.getModuleInfo(id)?.importedIds ?? []) found.add(imported);
	}
	return found;
}

/** The code-splitting group of the client build; `name` puts a module in it or leaves it be. */
export function bootChunk() {
	/** @type {WeakMap<Graph, Set<string>>} */
	const passes = new WeakMap();
	return {
		name: (/** @type {string} */ id, /** @type {Graph} */ graph) => {
			let modules = passes.get(graph);
			if (!modules) passes.set(graph, (modules = firstLoadModules(graph)));
			return modules.has(id) ? 'boot' : null;
		}
	};
}
