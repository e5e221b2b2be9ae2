// Block bytes in PostgreSQL, one bytea row per block, so a relay on DATABASE_URL keeps all its
// state in the database. A block is at most ~8 MiB, so it is gathered once in memory and written
// in one statement; reads take a slice with substring() so a Range request reads only its part.
import type postgres from 'postgres';
import type { BlockBytes } from './types';

export function postgresBlockBytes(sql: postgres.Sql): BlockBytes {
	return {
		async write(hash, chunks) {
			const parts: Uint8Array[] = [];
			for await (const chunk of chunks) parts.push(chunk);
			await sql`
				INSERT INTO block_data (hash, data) VALUES (${hash}, ${Buffer.concat(parts)})
				ON CONFLICT (hash) DO NOTHING`;
		},

		async read(hash, start, end) {
			const [row] = await sql<{ data: Buffer }[]>`
				SELECT substring(data FROM ${start + 1} FOR ${end - start + 1}) AS data
				FROM block_data WHERE hash = ${hash}`;
			if (!row) return undefined;
			const bytes = new Uint8Array(row.data);
			return new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(bytes);
					controller.close();
				}
			});
		},

		async delete(hash) {
			await sql`DELETE FROM block_data WHERE hash = ${hash}`;
		}
	};
}
