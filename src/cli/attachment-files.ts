// Attachments and the local disk: a file to send is read as a stream, and a received one is
// written to a temporary name in the target folder and renamed only once every block checked
// out, so a damaged download never sits under the file's real name.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { AttachmentManifest } from '../lib/client/attachment-manifest';
import type { AttachmentSource } from '../lib/client/attachments';
import { safeFileName } from '../lib/client/file-name';
import { CliError } from './errors';

export function fileSource(path: string): AttachmentSource {
	let size: number;
	try {
		const info = statSync(path);
		if (!info.isFile()) throw new Error('it is not a regular file');
		size = info.size;
	} catch (error) {
		throw new CliError(`Cannot attach ${path}: ${(error as Error).message}.`);
	}
	return {
		name: basename(path),
		type: 'application/octet-stream',
		size,
		stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>
	};
}

/** Fetches, checks, decrypts and writes one attachment into `folder`; returns its path. */
export async function saveAttachment(
	manifest: AttachmentManifest,
	folder: string,
	receive: (sink: WritableStreamDefaultWriter<Uint8Array>) => Promise<void>
): Promise<string> {
	const target = join(folder, safeFileName(manifest.name));
	if (await stat(target).catch(() => undefined)) {
		throw new CliError(`${target} already exists; move it away or choose another --out folder.`);
	}
	const partial = `${target}.part`;
	const writer = (
		Writable.toWeb(createWriteStream(partial)) as WritableStream<Uint8Array>
	).getWriter();
	try {
		await receive(writer);
		await writer.close();
	} catch (error) {
		await writer.abort().catch(() => {});
		await rm(partial, { force: true });
		throw error;
	}
	await rename(partial, target);
	return target;
}
