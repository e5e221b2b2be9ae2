// Letters out of files read a chunk at a time, split by MailSplitter, for the CLI (node streams)
// and the browser (File.stream()) alike: only the letter being read is held, so a 2 GB mbox
// passes through in little memory. Files can be read again, which the import's check pass needs.
import { MailSplitter } from './mail-file';
import { MAX_LETTER_CHARS } from './mail-import';
import type { LetterSource, SourceLetter } from './mail-import-run';

/** The letters of one file's `chunks`; `bytesRead` counts on from `bytesBefore`. */
export async function* splitLetters(
	chunks: AsyncIterable<Uint8Array>,
	bytesBefore = 0
): AsyncGenerator<SourceLetter> {
	const splitter = new MailSplitter(MAX_LETTER_CHARS);
	const decoder = new TextDecoder();
	let bytesRead = bytesBefore;
	for await (const chunk of chunks) {
		bytesRead += chunk.byteLength;
		for (const raw of splitter.push(decoder.decode(chunk, { stream: true }))) {
			yield { raw, bytesRead };
		}
	}
	for (const raw of [...splitter.push(decoder.decode()), ...splitter.end()]) {
		yield { raw, bytesRead };
	}
}

/** The files the person picked in the browser (one .eml, an mbox, or several). */
export function fileSource(files: readonly File[]): LetterSource {
	return {
		totalBytes: files.reduce((sum, file) => sum + file.size, 0),
		async *letters() {
			let bytesBefore = 0;
			for (const file of files) {
				yield* splitLetters(chunksOf(file), bytesBefore);
				bytesBefore += file.size;
			}
		}
	};
}

/** A reader loop rather than `for await` on the stream: Safari's streams are not iterable. */
async function* chunksOf(file: File): AsyncGenerator<Uint8Array> {
	const reader = file.stream().getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			yield value;
		}
	} finally {
		// Stopped early (the person pressed Stop): let go of the file.
		await reader.cancel().catch(() => undefined);
	}
}
