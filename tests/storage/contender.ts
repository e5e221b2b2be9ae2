// A second (or third) relay process for the race tests: opens the storage named on the command
// line, says "ready", then for each JSON line {method, calls} runs the calls one after another as
// fast as it can and answers with one JSON line of outcomes. Two contenders sent the same calls
// at once hit the same rows at the same moment from two processes, each with its own connection.
import { createInterface } from 'node:readline';
import type { Storage } from '../../src/lib/server/storage/types';
import { openAt, type Location } from './fixture';

const location = JSON.parse(process.argv[2]!) as Location;
const storage: Storage = await openAt(location);

function method(name: string): (...args: unknown[]) => Promise<unknown> {
	const [owner, key] = name.startsWith('backups.')
		? [storage.backups as unknown as Record<string, unknown>, name.slice('backups.'.length)]
		: [storage as unknown as Record<string, unknown>, name];
	const fn = owner[key];
	if (typeof fn !== 'function') throw new Error(`No storage method ${name}`);
	return (fn as (...args: unknown[]) => Promise<unknown>).bind(owner);
}

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
	const { method: name, calls } = JSON.parse(line) as { method: string; calls: unknown[][] };
	const call = method(name);
	const outcomes = [];
	for (const args of calls) {
		try {
			outcomes.push({ value: (await call(...args)) ?? null });
		} catch (error) {
			outcomes.push({ error: error instanceof Error ? error.message : String(error) });
		}
	}
	process.stdout.write(`${JSON.stringify(outcomes)}\n`);
}
await storage.close();
