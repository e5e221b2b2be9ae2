// Attachment blocks through the relay: PUT then GET of full 8 MiB blocks on /api/blocks/:hash,
// four at a time as the client keeps several in flight, against a plain fs loop writing (with
// fsync, the durability a stored block has) and reading the same bytes in the same 8 MiB pieces.
import { createHash, randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { RunningApp } from '../lib/app-server';
import { compared, megabytesPerSecond, MIB, type Measure } from '../lib/figures';
import { makeAccounts } from './accounts';
import { timeRawDisk } from './disk';

const BLOCK_BYTES = 8 * MIB;
const IN_FLIGHT = 4;
const TRANSFER_GOAL = 0.7;

/** Runs `work` for 0…count-1 with IN_FLIGHT of them at a time. */
function lanes(count: number, work: (index: number) => Promise<void>): Promise<unknown> {
	let next = 0;
	return Promise.all(
		Array.from({ length: IN_FLIGHT }, async () => {
			while (next < count) await work(next++);
		})
	);
}

export async function blockTransfers(app: RunningApp, count: number, backend: string) {
	const [account] = await makeAccounts(app.origin, 1, () =>
		openpgp.createMessage({ text: 'Blocks follow.' })
	);
	const headers = { authorization: `Bearer ${account!.token}` };
	// Distinct blocks, so the relay stores every one instead of answering "already have it". They
	// are made before timing starts; random bytes are what encrypted blocks look like.
	const blocks = Array.from({ length: count }, () => randomBytes(BLOCK_BYTES));
	const hashes = blocks.map((bytes) => createHash('sha256').update(bytes).digest('hex'));
	const url = (index: number) => `${app.origin}/api/blocks/${hashes[index]}`;

	const began = performance.now();
	await lanes(count, async (index) => {
		const response = await fetch(url(index), {
			method: 'PUT',
			// adapter-node hands the relay no body without a content type.
			headers: { ...headers, 'content-type': 'application/octet-stream' },
			body: new Uint8Array(blocks[index]!)
		});
		if (response.status !== 201) {
			throw new Error(
				`The relay refused block ${index} (${response.status}): ${await response.text()}`
			);
		}
	});
	const uploaded = performance.now();
	await lanes(count, async (index) => {
		const response = await fetch(url(index), { headers });
		const received = await response.arrayBuffer();
		if (response.status !== 200 || received.byteLength !== BLOCK_BYTES) {
			throw new Error(`Block ${index} did not come back whole (${response.status}).`);
		}
	});
	const downloaded = performance.now();
	const raw = timeRawDisk(app.dataDir, blocks[0]!, count);

	const total = BLOCK_BYTES * count;
	const goal = (ratio: number) => ({
		text: `≥ ${TRANSFER_GOAL * 100}% of raw disk`,
		met: ratio >= TRANSFER_GOAL
	});
	const figure = (name: string, value: Measure, anchorName: string, anchor: Measure) =>
		compared('relay', name, value, { ...anchor, name: anchorName }, goal);
	const what = `${count} × 8 MiB blocks, ${IN_FLIGHT} in flight, ${backend}`;
	return [
		figure(
			`block upload, PUT /api/blocks (${what})`,
			megabytesPerSecond(total, uploaded - began),
			'fs write+fsync 8 MiB',
			megabytesPerSecond(total, raw.write)
		),
		figure(
			`block download, GET /api/blocks (${what})`,
			megabytesPerSecond(total, downloaded - uploaded),
			'fs read 8 MiB',
			megabytesPerSecond(total, raw.read)
		)
	];
}
