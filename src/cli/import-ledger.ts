// The letters this device has imported, so that a second run, or one after Ctrl-C or a crash,
// files each letter once. It lives in --home, never on the relay: each line is an HMAC-SHA256
// of the letter's Message-ID (or its whole text when it has none), keyed by a secret made here,
// so neither the ledger nor the Idempotency-Key sent with each letter (the same digest) lets
// anyone without the secret test whether a given letter is in the mailbox. One line is appended
// and flushed to disk after each letter the relay has filed.
import { createHmac, randomBytes } from 'node:crypto';
import {
	closeSync,
	fsyncSync,
	linkSync,
	mkdirSync,
	openSync,
	readFileSync,
	rmSync,
	writeSync
} from 'node:fs';
import { join } from 'node:path';
import { letterIdentity } from '../lib/client/mail-file';
import { CliError } from './errors';

const SECRET_FILE = 'import-secret';
const LEDGER_FILE = 'imported-letters';
const DIGEST = /^[0-9a-f]{64}$/;

export class ImportLedger {
	readonly #secret: Buffer;
	readonly #done: Set<string>;
	readonly #fd: number;

	private constructor(
		secret: Buffer,
		done: Set<string>,
		fd: number,
		private readonly address: string
	) {
		this.#secret = secret;
		this.#done = done;
		this.#fd = fd;
	}

	/** The ledger of `dir` for letters imported into `address`'s inbox. */
	static open(dir: string, address: string): ImportLedger {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		const secret = readSecret(join(dir, SECRET_FILE));
		const path = join(dir, LEDGER_FILE);
		// A crash mid-write can leave a torn last line; it matches no digest and is ignored.
		const text = readOptional(path) ?? '';
		const done = new Set(text.split('\n').filter((line) => DIGEST.test(line)));
		const fd = openSync(path, 'a', 0o600);
		// After a torn line, the next digest starts on a line of its own.
		if (text !== '' && !text.endsWith('\n')) writeSync(fd, '\n');
		return new ImportLedger(secret, done, fd, address);
	}

	/** The digest naming `raw`: the ledger's line and the relay's Idempotency-Key. */
	keyOf(raw: string): string {
		return createHmac('sha256', this.#secret)
			.update(`${this.address}\n${letterIdentity(raw)}`)
			.digest('hex');
	}

	has(key: string): boolean {
		return this.#done.has(key);
	}

	/** Records that the relay has filed the letter, on disk before the next letter starts. */
	record(key: string): void {
		if (this.#done.has(key)) return;
		writeSync(this.#fd, `${key}\n`);
		fsyncSync(this.#fd);
		this.#done.add(key);
	}

	close(): void {
		closeSync(this.#fd);
	}
}

function readOptional(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}

/** The home's secret, made on first use: written whole under a temporary name, then linked into
 * place (which fails if another import made one meanwhile), so it is never seen half written. */
function readSecret(path: string): Buffer {
	const existing = readOptional(path);
	if (existing !== undefined) {
		if (/^[0-9a-f]{64}\n$/.test(existing)) return Buffer.from(existing.trim(), 'hex');
		throw new CliError(`${path} is damaged; move it away to start the import ledger anew.`);
	}
	const temporary = `${path}.${process.pid}.tmp`;
	const fd = openSync(temporary, 'w', 0o600);
	writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
	fsyncSync(fd);
	closeSync(fd);
	try {
		linkSync(temporary, path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	} finally {
		rmSync(temporary, { force: true });
	}
	return readSecret(path);
}
