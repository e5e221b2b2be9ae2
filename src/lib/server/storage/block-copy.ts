// A block's bytes into PostgreSQL by binary COPY. As an INSERT parameter the postgres driver
// sends bytea as hex text: an 8 MiB block became a 16 MiB string, copied again as the driver's
// buffer grew, and parsed back from hex by the server (most of a block upload's CPU in the
// relay benchmark's profile). COPY's binary format carries the bytes as they are, chunk by chunk.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type postgres from 'postgres';

/** PGCOPY signature, flags and header extension length (PostgreSQL docs, "Binary Format"). */
const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const TRAILER = Buffer.from([0xff, 0xff]);

function int32(value: number): Buffer {
	const bytes = Buffer.alloc(4);
	bytes.writeInt32BE(value);
	return bytes;
}

/** Writes one `block_data` row; a row already there under `hash` (the same bytes: blocks are
 * named by their verified hash) is left as it is, as an INSERT's ON CONFLICT DO NOTHING would.
 * The COPY goes to a temporary table without constraints, because the driver never settles a
 * COPY the server refused (a duplicate hash would hang it); from there one statement inside the
 * server moves the row. */
export async function copyBlockRow(
	client: postgres.Sql,
	hash: string,
	parts: Uint8Array[]
): Promise<void> {
	const name = Buffer.from(hash, 'utf8');
	const size = parts.reduce((sum, part) => sum + part.byteLength, 0);
	const tuple = [Buffer.from([0, 2]), int32(name.length), name, int32(size)];
	await client.begin(async (tx) => {
		await tx`CREATE TEMPORARY TABLE IF NOT EXISTS block_upload (hash TEXT, data BYTEA)
			ON COMMIT DELETE ROWS`;
		const stream = await tx`COPY block_upload (hash, data) FROM STDIN (FORMAT binary)`.writable();
		await pipeline(Readable.from([HEADER, ...tuple, ...parts, TRAILER]), stream);
		await tx`INSERT INTO block_data (hash, data) SELECT hash, data FROM block_upload
			ON CONFLICT (hash) DO NOTHING`;
	});
}
