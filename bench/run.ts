// `npm run bench [-- NAME…]`: runs the named benchmarks (all by default) against the current
// build, prints one table and writes the figures to bench/results/ as JSON.
import { runAttachmentsBench } from './attachments';
import { runCryptoBench } from './crypto';
import { runFirstLoadBench } from './first-load';
import { runMailboxBench } from './mailbox';
import { runPowBench } from './pow';
import type { Figure } from './lib/figures';
import { runRelayBench } from './relay';
import { printTable, writeResults } from './lib/report';
import { runSearchBench } from './search';

const BENCHES: Record<string, () => Promise<Figure[]>> = {
	crypto: runCryptoBench,
	relay: runRelayBench,
	'first-load': runFirstLoadBench,
	pow: runPowBench,
	attachments: runAttachmentsBench,
	search: runSearchBench,
	mailbox: runMailboxBench
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
	console.error(
		`No benchmark called ${unknown.join(', ')}. Choose from: ${Object.keys(BENCHES).join(', ')}.`
	);
	process.exit(2);
}

const startedAt = new Date();
const figures: Figure[] = [];
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
	console.error(`Running the ${name} benchmark…`);
	const began = Date.now();
	try {
		figures.push(...(await BENCHES[name]!()));
	} catch (error) {
		// One broken benchmark (say, no PostgreSQL) must not hide the others' figures.
		const reason = error instanceof Error ? error.message : String(error);
		figures.push({ bench: name, name: 'did not run', value: null, note: reason });
	}
	console.error(`  done in ${((Date.now() - began) / 1000).toFixed(0)} s`);
}
printTable(figures);
console.log(`\nResults: ${writeResults(figures, startedAt)}`);
