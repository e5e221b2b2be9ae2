// The letters of an mbox file or of a folder of .eml files, read as a stream: a chunk at a time,
// split on mbox "From " lines, so a mailbox of any size (a 2 GB Google Takeout) passes through
// holding only the letter being read. The source can be read more than once (import checks
// every letter before it uploads any).
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { splitLetters } from '../lib/client/mail-import-files';
import type { LetterSource, SourceLetter } from '../lib/client/mail-import-run';
import { CliError } from './errors';

/** Small enough that progress by bytes read moves smoothly, large enough to read fast. */
const CHUNK_BYTES = 64 * 1024;

export interface MailSource extends LetterSource {
	/** Lets go of what the source holds open (a connection). */
	close?(): Promise<void>;
}

export async function openMailSource(path: string): Promise<MailSource> {
	const unreadable = () => new CliError(`Cannot read ${path}; check the path.`);
	const info = await stat(path).catch(() => {
		throw unreadable();
	});
	if (!info.isDirectory()) {
		return { totalBytes: info.size, letters: () => fileLetters([path]) };
	}
	const names = (await readdir(path).catch(() => [] as string[]))
		.filter((name) => name.toLowerCase().endsWith('.eml'))
		.sort();
	const files = names.map((name) => join(path, name));
	const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
	return {
		totalBytes: sizes.reduce((sum, size) => sum + size, 0),
		letters: () => fileLetters(files)
	};
}

async function* fileLetters(files: string[]): AsyncGenerator<SourceLetter> {
	let bytesBefore = 0;
	for (const file of files) {
		const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
		try {
			yield* splitLetters(stream as AsyncIterable<Buffer>, bytesBefore);
		} catch {
			throw new CliError(`Cannot read ${file}; check the path and its permissions.`);
		}
		bytesBefore += stream.bytesRead;
	}
}
