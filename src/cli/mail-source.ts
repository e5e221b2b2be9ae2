// The letters of an mbox file or of a folder of .eml files, read as a stream: a chunk at a time,
// split on mbox "From " lines, so a mailbox of any size (a 2 GB Google Takeout) passes through
// holding only the letter being read. The source can be read more than once (import checks
// every letter before it uploads any).
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MailSplitter } from '../lib/client/mail-file';
import { MAX_LETTER_CHARS } from '../lib/client/mail-import';
import { CliError } from './errors';

/** Small enough that progress by bytes read moves smoothly, large enough to read fast. */
const CHUNK_BYTES = 64 * 1024;

export interface SourceLetter {
	raw: string;
	/** Bytes of the source read so far, for the time left. */
	bytesRead: number;
}

export interface MailSource {
	totalBytes: number;
	/** Every letter, in order; each call reads the source again from the start. */
	letters(): AsyncGenerator<SourceLetter>;
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
	let bytesRead = 0;
	for (const file of files) {
		const splitter = new MailSplitter(MAX_LETTER_CHARS);
		const decoder = new TextDecoder();
		const stream = createReadStream(file, { highWaterMark: CHUNK_BYTES });
		try {
			for await (const chunk of stream as AsyncIterable<Buffer>) {
				bytesRead += chunk.length;
				for (const raw of splitter.push(decoder.decode(chunk, { stream: true }))) {
					yield { raw, bytesRead };
				}
			}
		} catch {
			throw new CliError(`Cannot read ${file}; check the path and its permissions.`);
		}
		for (const raw of [...splitter.push(decoder.decode()), ...splitter.end()]) {
			yield { raw, bytesRead };
		}
	}
}
