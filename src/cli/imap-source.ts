// The letters of an IMAP account, read over TLS with imapflow, as a MailSource like an mbox: every
// folder that holds mail, or the one the address names. Letters are fetched in small batches by
// UID, so only a batch is in memory at once and no FETCH is left open while the import waits for
// the relay. The password is asked for (or read from LETTERLOCK_IMAP_PASSWORD), used for this
// connection and kept nowhere else; only the relay ever sees the letters, and only encrypted.
import { ImapFlow, type ImapFlowError } from 'imapflow';
import { CliError, UsageError } from './errors';
import type { SourceLetter } from '../lib/client/mail-import-run';
import type { MailSource } from './mail-source';
import { readSecret } from './passphrase';

/** Letters per FETCH, and the bytes one batch may hold (one larger letter is fetched alone). */
const BATCH_LETTERS = 50;
const BATCH_BYTES = 8 * 1024 * 1024;

export interface ImapAccount {
	host: string;
	port: number;
	user: string;
	/** One mailbox to import, or every one when absent. */
	mailbox?: string;
}

/** `imaps://user@host[:port][/MAILBOX]`; a user name holding "@" is written with %40. */
export function parseImapUrl(text: string): ImapAccount {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new UsageError(`“${text}” is not an address like imaps://user@imap.example.org.`);
	}
	if (url.protocol === 'imap:') {
		throw new UsageError(
			'Plain imap:// would send your password unencrypted; use imaps:// (IMAP over TLS, port 993).'
		);
	}
	if (url.protocol !== 'imaps:' || url.hostname === '' || url.username === '') {
		throw new UsageError(`“${text}” is not an address like imaps://user@imap.example.org.`);
	}
	if (url.password !== '') {
		throw new UsageError(
			'Leave the password out of the address: it is asked for, or read from LETTERLOCK_IMAP_PASSWORD.'
		);
	}
	const mailbox = decodeURIComponent(url.pathname.replace(/^\//, ''));
	return {
		host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
		port: url.port === '' ? 993 : Number(url.port),
		user: decodeURIComponent(url.username),
		...(mailbox !== '' && { mailbox })
	};
}

interface Folder {
	path: string;
	/** UID and size of each letter, in UID order. */
	letters: { uid: number; size: number }[];
}

/** Connects and lists what there is to import; `close` logs out. */
export async function openImapSource(
	account: ImapAccount,
	env: NodeJS.ProcessEnv
): Promise<MailSource & { close(): Promise<void> }> {
	const where = `${account.host}:${account.port}`;
	const pass = await readSecret(
		env,
		'LETTERLOCK_IMAP_PASSWORD',
		`IMAP password for ${account.user}`
	);
	const client = new ImapFlow({
		host: account.host,
		port: account.port,
		secure: true,
		auth: { user: account.user, pass },
		// Its log would name folders and subjects; errors are told in our own words.
		logger: false,
		connectionTimeout: 30_000
	});
	// A dropped connection is also reported by the command that was running; without a listener
	// the 'error' event would end the process first.
	client.on('error', () => {});
	try {
		await client.connect();
	} catch (error) {
		throw connectError(error, where);
	}
	try {
		const folders = await listFolders(client, account.mailbox);
		return {
			totalBytes: folders.reduce(
				(sum, folder) => folder.letters.reduce((bytes, letter) => bytes + letter.size, sum),
				0
			),
			letters: () => folderLetters(client, folders),
			close: async () => {
				await client.logout().catch(() => client.close());
			}
		};
	} catch (error) {
		client.close();
		throw error;
	}
}

async function listFolders(client: ImapFlow, only: string | undefined): Promise<Folder[]> {
	const listed = await client.list();
	const selectable = listed
		.filter((folder) => !folder.flags.has('\\Noselect') && !folder.flags.has('\\NonExistent'))
		.map((folder) => folder.path);
	if (only !== undefined && !selectable.includes(only)) {
		throw new CliError(
			`The IMAP account has no folder “${only}”; it has: ${selectable.join(', ') || 'none'}.`
		);
	}
	const folders: Folder[] = [];
	for (const path of only === undefined ? selectable : [only]) {
		const lock = await client.getMailboxLock(path, { readOnly: true });
		try {
			const letters = (await client.fetchAll('1:*', { uid: true, size: true }, { uid: true }))
				.map(({ uid, size }) => ({ uid, size: size ?? 0 }))
				.sort((a, b) => a.uid - b.uid);
			folders.push({ path, letters });
		} finally {
			lock.release();
		}
	}
	return folders;
}

async function* folderLetters(client: ImapFlow, folders: Folder[]): AsyncGenerator<SourceLetter> {
	const decoder = new TextDecoder();
	let bytesRead = 0;
	for (const folder of folders) {
		for (const uids of batches(folder.letters)) {
			// Read-only, so importing never marks a letter as seen on the old server.
			const lock = await client.getMailboxLock(folder.path, { readOnly: true });
			let fetched;
			try {
				fetched = await client.fetchAll(uids.join(','), { uid: true, source: true }, { uid: true });
			} finally {
				lock.release();
			}
			// A letter deleted on the server since the listing is simply not there any more.
			for (const { source, size } of fetched.sort((a, b) => a.uid - b.uid)) {
				if (!source) continue;
				bytesRead += size ?? source.length;
				// LF line ends, as MailSplitter makes them for files: the same letter in an mbox and
				// on the server then has the same digest.
				yield { raw: decoder.decode(source).replace(/\r\n/g, '\n'), bytesRead };
			}
		}
	}
}

/** UIDs in runs of at most BATCH_LETTERS letters and BATCH_BYTES bytes. */
function* batches(letters: Folder['letters']): Generator<number[]> {
	let batch: number[] = [];
	let bytes = 0;
	for (const { uid, size } of letters) {
		if (batch.length > 0 && (batch.length >= BATCH_LETTERS || bytes + size > BATCH_BYTES)) {
			yield batch;
			batch = [];
			bytes = 0;
		}
		batch.push(uid);
		bytes += size;
	}
	if (batch.length > 0) yield batch;
}

function connectError(error: unknown, where: string): CliError {
	const { code, authenticationFailed, tlsFailed } = error as ImapFlowError;
	if (authenticationFailed) {
		return new CliError(`The IMAP server ${where} refused the user name or password.`);
	}
	if (tlsFailed || (code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))) {
		return new CliError(
			`The IMAP server ${where} did not show a certificate this machine trusts${code === undefined ? '' : ` (${code})`}; nothing was imported.`
		);
	}
	const detail = code === undefined ? '' : ` (${code})`;
	return new CliError(
		`Cannot reach the IMAP server ${where}${detail}; check the address and your connection.`
	);
}
