// Block bytes as database rows (bytea in PostgreSQL), so a relay on DATABASE_URL keeps all its
// state in the database. A block is at most ~8 MiB, so it is gathered once in memory and written
// in one statement; reads take a slice with substr() so a Range request reads only its part.
import { sql } from 'kysely';
import type { Dialect } from './dialect';
import type { BlockBytes } from './types';

export function rowBlockBytes({
	db,
	writeBlockRow
}: Pick<Dialect, 'db' | 'writeBlockRow'>): BlockBytes {
	return {
		// Gathered whole before writing: the body's hash is checked as it is read, so a body that
		// does not match fails here, before any of it reaches the table.
		async write(hash, chunks) {
			const parts: Uint8Array[] = [];
			for await (const chunk of chunks) parts.push(chunk);
			if (writeBlockRow) return writeBlockRow(hash, parts);
			await db
				.insertInto('block_data')
				.values({ hash, data: Buffer.concat(parts) })
				.onConflict((conflict) => conflict.column('hash').doNothing())
				.execute();
		},

		async read(hash, start, end) {
			const row = await db
				.selectFrom('block_data')
				.select(sql<Uint8Array>`substr(data, ${start + 1}, ${end - start + 1})`.as('data'))
				.where('hash', '=', hash)
				.executeTakeFirst();
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
			await db.deleteFrom('block_data').where('hash', '=', hash).execute();
		}
	};
}
