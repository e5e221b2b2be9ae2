// `npx tsx bench/lib/profile-summary.ts FILE.cpuprofile [FUNCTION…]`: where a V8 CPU profile's
// time went, by part (framework, HTTP, logging, crypto checks, database…), by function, and the
// inclusive time of the functions named on the command line (e.g. `handle sendMessage`).
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

/** First match wins: more specific patterns come first. */
const PARTS: [string, RegExp][] = [
	['idle', /^\(idle\)$/],
	['garbage collection', /^\(garbage collector\)$/],
	// The relay core, bundled into the build by SvelteKit under the name of instance.ts.
	['relay core', /src\/lib\/server|src\/lib\/protocol|build\/server\/chunks\/chunks\/instance/],
	['SvelteKit + adapter-node', /@sveltejs|build\/(handler|index|server)/],
	['pino logging', /node_modules\/(pino|sonic-boom|thread-stream|fast-redact|quick-format)/],
	['openpgp', /node_modules\/openpgp/],
	['valibot', /node_modules\/valibot/],
	['better-sqlite3', /node_modules\/better-sqlite3/],
	['postgres driver', /node_modules\/postgres\//],
	[
		'undici (Request, Response, Headers, streams)',
		/node:internal\/deps\/undici|internal\/webstreams/
	],
	['node:http', /_http_|node:internal\/http|node:http/],
	['server entry', /scripts\/serve/],
	['other node internals', /^node:/],
	['native / program', /^$/]
];

function partOf(node: ProfileNode): string {
	const { url, functionName } = node.callFrame;
	const key = url || functionName;
	for (const [part, pattern] of PARTS) if (pattern.test(key) || pattern.test(url)) return part;
	return url
		.replace(/^.*node_modules\//, 'node_modules/')
		.split('/')
		.slice(0, 2)
		.join('/');
}

const label = (node: ProfileNode) =>
	`${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(node_modules|build|src)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;

function summarise(profile: Profile, wanted: string[]) {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parent.set(child, node.id);
	const parts = new Map<string, number>();
	const functions = new Map<string, number>();
	const inclusive = new Map<string, number>(wanted.map((name) => [name, 0]));
	let total = 0;
	let busy = 0;
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		const node = byId.get(id)!;
		total += delta;
		const part = partOf(node);
		if (part !== 'idle') busy += delta;
		parts.set(part, (parts.get(part) ?? 0) + delta);
		functions.set(label(node), (functions.get(label(node)) ?? 0) + delta);
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const name = byId.get(at)!.callFrame.functionName;
			if (inclusive.has(name) && !seen.has(name)) {
				seen.add(name);
				inclusive.set(name, inclusive.get(name)! + delta);
			}
		}
	});
	const share = (value: number) => `${((value / busy) * 100).toFixed(1).padStart(5)}%`;
	const ms = (value: number) => `${(value / 1000).toFixed(0).padStart(7)} ms`;
	console.log(`profiled ${ms(total)}, busy ${ms(busy)} (shares below are of busy time)\n`);
	console.log('by part (self time)');
	for (const [part, time] of [...parts].sort((a, b) => b[1] - a[1])) {
		if (part !== 'idle') console.log(`  ${share(time)} ${ms(time)}  ${part}`);
	}
	console.log('\ntop functions (self time)');
	const busyFunctions = [...functions].filter(([name]) => !name.startsWith('(idle)'));
	for (const [name, time] of busyFunctions.sort((a, b) => b[1] - a[1]).slice(0, 40)) {
		console.log(`  ${share(time)} ${ms(time)}  ${name}`);
	}
	if (wanted.length > 0) console.log('\ninclusive time of named functions');
	for (const [name, time] of inclusive) console.log(`  ${share(time)} ${ms(time)}  ${name}`);
}

const [file, ...wanted] = process.argv.slice(2);
if (!file) {
	console.error('Usage: npx tsx bench/lib/profile-summary.ts FILE.cpuprofile [FUNCTION…]');
	process.exit(2);
}
summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, wanted);
