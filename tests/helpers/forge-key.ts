// What a hostile relay operator can do to the directory, done to a test relay's SQLite file:
// the attacks that key pinning must make visible.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as openpgp from 'openpgp';

/** A fresh key claiming `address`, made outside the app (as an operator or an importer would). */
export async function newKey(address: string): Promise<{ publicKey: string; fingerprint: string }> {
	const { publicKey } = await openpgp.generateKey({
		type: 'curve25519',
		userIDs: [{ email: address }],
		format: 'armored'
	});
	const key = await openpgp.readKey({ armoredKey: publicKey });
	return { publicKey, fingerprint: key.getFingerprint().toUpperCase() };
}

/** Swaps the directory key of `address` for one its owner never made; returns its fingerprint.
 * The account row too: the relay refuses mail for an address whose account key is not in the
 * directory. Sessions already open stay valid. */
export async function forgeDirectoryKey(dataDir: string, address: string): Promise<string> {
	const { publicKey, fingerprint } = await newKey(address);
	const db = new Database(join(dataDir, 'letterlock.sqlite'), { fileMustExist: true });
	try {
		db.transaction(() => {
			db.prepare('UPDATE directory_keys SET fingerprint = ?, armored = ? WHERE address = ?').run(
				fingerprint,
				publicKey,
				address
			);
			db.prepare('UPDATE accounts SET fingerprint = ? WHERE address = ?').run(fingerprint, address);
		})();
	} finally {
		db.close();
	}
	return fingerprint;
}
