// The disk anchor: the machine's own sequential write (each piece made durable with fsync, as
// the relay's synchronous=FULL commits are) and read of the same bytes, with a plain fs loop.
import { closeSync, fsyncSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Milliseconds to write `pieces` copies of `piece` to a file in `directory`, and to read them
 * back. The read usually comes from the page cache, as the relay's reads of fresh data do. */
export function timeRawDisk(
	directory: string,
	piece: Buffer,
	pieces: number
): { write: number; read: number } {
	const path = join(directory, 'raw-disk-anchor');
	const began = performance.now();
	const out = openSync(path, 'w');
	for (let index = 0; index < pieces; index++) {
		writeSync(out, piece);
		fsyncSync(out);
	}
	closeSync(out);
	const written = performance.now();
	const into = Buffer.alloc(piece.length);
	const input = openSync(path, 'r');
	for (let index = 0; index < pieces; index++) readSync(input, into, 0, piece.length, null);
	closeSync(input);
	const read = performance.now();
	rmSync(path);
	return { write: written - began, read: read - written };
}
