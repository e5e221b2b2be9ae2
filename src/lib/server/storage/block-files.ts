// Block bytes as files: `blocks/ab/cdef…` under the data directory. A block is written to a
// temporary name, flushed to disk and then renamed, so a crash leaves either the whole block or
// nothing under its name, never a torn file that a later HEAD would take for the real one.
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlockBytes } from './types';

export function fileBlockBytes(dataDir: string): BlockBytes {
	const root = join(dataDir, 'blocks');
	const folder = (hash: string) => join(root, hash.slice(0, 2));
	const pathOf = (hash: string) => join(folder(hash), hash.slice(2));

	return {
		async write(hash, chunks) {
			await mkdir(folder(hash), { recursive: true });
			const temporary = join(folder(hash), `.tmp-${randomBytes(8).toString('hex')}`);
			const file = await open(temporary, 'wx');
			try {
				for await (const chunk of chunks) await file.write(chunk);
				await file.sync();
				await file.close();
			} catch (error) {
				await file.close().catch(() => {});
				await unlink(temporary).catch(() => {});
				throw error;
			}
			await rename(temporary, pathOf(hash));
			// The rename itself is durable only once the directory is flushed.
			const directory = await open(folder(hash), 'r');
			await directory.sync().finally(() => directory.close());
		},

		async read(hash, start, end) {
			const stream = createReadStream(pathOf(hash), { start, end });
			// Opening is asynchronous: wait for it so that a missing file is an answer, not an error
			// in the middle of a response.
			const opened = await new Promise<boolean>((resolve, reject) => {
				stream.once('open', () => resolve(true));
				stream.once('error', (error: NodeJS.ErrnoException) =>
					error.code === 'ENOENT' ? resolve(false) : reject(error)
				);
			});
			return opened ? (Readable.toWeb(stream) as ReadableStream<Uint8Array>) : undefined;
		},

		async delete(hash) {
			await unlink(pathOf(hash)).catch((error: NodeJS.ErrnoException) => {
				if (error.code !== 'ENOENT') throw error;
			});
		}
	};
}
