// Saving a received attachment from the page without ever holding the file in memory: each
// block is checked and decrypted, then written straight to disk. Where the browser has the File
// System Access API the person picks the place and the file is written there (it appears only
// once complete); else, where a service worker controls the page, the plaintext streams through
// it into the browser's download; otherwise it is written to the origin private file system and
// handed to the browser's own download as a disk-backed File.
import type { AttachmentManifest } from './attachment-manifest';
import { safeFileName } from './file-name';
import { downloadThroughServiceWorker } from './stream-download';

type Receive = (sink: WritableStreamDefaultWriter<Uint8Array>) => Promise<void>;

interface SavePicker {
	showSaveFilePicker?: (options: { suggestedName: string }) => Promise<FileSystemFileHandle>;
}

/** How long a finished download stays in the private file system for the browser to copy. */
const KEEP_DOWNLOAD_MS = 10 * 60 * 1000;

async function writeTo(handle: FileSystemFileHandle, receive: Receive): Promise<void> {
	const writer = (await handle.createWritable()).getWriter();
	try {
		await receive(writer);
		await writer.close();
	} catch (error) {
		// Abort discards what was written: a damaged file never appears under its name.
		await writer.abort().catch(() => {});
		throw error;
	}
}

export async function downloadAttachment(
	manifest: AttachmentManifest,
	receive: Receive
): Promise<void> {
	// The same plain name on every path, whatever each browser would make of the sender's.
	const saveAs = safeFileName(manifest.name);
	const picker = (window as SavePicker).showSaveFilePicker;
	if (picker) {
		await writeTo(await picker({ suggestedName: saveAs }), receive);
		return;
	}
	const worker = navigator.serviceWorker?.controller;
	const offer = { name: saveAs, size: manifest.size };
	if (worker && (await downloadThroughServiceWorker(worker, offer, receive))) return;
	const root = await navigator.storage.getDirectory();
	const name = `download-${crypto.randomUUID()}`;
	const handle = await root.getFileHandle(name, { create: true });
	try {
		await writeTo(handle, receive);
	} catch (error) {
		await root.removeEntry(name).catch(() => {});
		throw error;
	}
	const url = URL.createObjectURL(await handle.getFile());
	const link = document.createElement('a');
	link.href = url;
	link.download = saveAs;
	link.click();
	setTimeout(() => {
		URL.revokeObjectURL(url);
		void root.removeEntry(name).catch(() => {});
	}, KEEP_DOWNLOAD_MS);
}
