// Settings → Import in the browser: the files the person picked go through the import loop the
// CLI runs (mail-import-run.ts), with the browser's ledger in IndexedDB, so an import stopped
// (the tab closed, the Stop button) and started again with the same files files each letter once.
// Progress is handed to the page a few times a second, not per letter, so a mailbox of 100,000
// letters does not re-render the page 100,000 times.
import type { CryptoApi } from '../crypto/types';
import { BrowserImportLedger } from './mail-import-ledger';
import { fileSource } from './mail-import-files';
import { ImportMeter, type ImportStatus } from './mail-import-meter';
import {
	checkLetters,
	importLetters,
	type FileLetter,
	type ImportObserver,
	type RelayWait
} from './mail-import-run';

export interface ImportView {
	phase: 'checking' | 'importing';
	status: ImportStatus;
	/** Set while the import waits for the relay. */
	wait?: RelayWait;
}

export interface ImportOutcome {
	/** Letters in the files. */
	total: number;
	/** Letters imported before (by an earlier run on this device). */
	before: number;
	/** Letters new on the relay now. */
	imported: number;
	stopped: boolean;
}

const SHOW_EVERY_MS = 200;

export async function importFiles(options: {
	crypto: CryptoApi;
	address: string;
	files: readonly File[];
	file: FileLetter;
	show: (view: ImportView) => void;
	signal: AbortSignal;
}): Promise<ImportOutcome> {
	const { crypto, address, files, file, show, signal } = options;
	const source = fileSource(files);
	const ledger = await BrowserImportLedger.open(address);
	try {
		const checking = observer('checking', source.totalBytes, show);
		const checked = await checkLetters(crypto, source, ledger, checking, signal);
		if (!checked) return { total: 0, before: 0, imported: 0, stopped: true };
		const { total, pending } = checked;
		if (pending === 0) return { total, before: total, imported: 0, stopped: false };
		const importing = observer('importing', source.totalBytes, show);
		const imported = await importLetters(crypto, source, ledger, importing, signal, file);
		return { total, before: total - pending, imported, stopped: signal.aborted };
	} finally {
		ledger.close();
	}
}

function observer(
	phase: ImportView['phase'],
	totalBytes: number,
	show: (view: ImportView) => void
): ImportObserver {
	const meter = new ImportMeter(totalBytes);
	let shownAt = -Infinity;
	show({ phase, status: meter.status() });
	return {
		letter(counted, bytesRead) {
			meter.letter(counted, bytesRead);
			const now = Date.now();
			if (now - shownAt < SHOW_EVERY_MS && bytesRead < totalBytes) return;
			shownAt = now;
			show({ phase, status: meter.status(now) });
		},
		waiting(wait) {
			show({ phase, status: meter.status(), wait });
		}
	};
}
