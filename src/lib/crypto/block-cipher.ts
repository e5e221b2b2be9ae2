// One attachment block as an OpenPGP message of a single symmetrically encrypted, integrity
// protected (SEIPD v1) packet under the attachment's session key, with no session key packet:
// the key travels in the manifest inside the signed, encrypted mail, so one ciphertext serves
// every recipient, and `gpg --override-session-key 9:HEX --decrypt` reads a block. SEIPD v1 (not
// v2/AEAD) because GnuPG 2.2 reads only v1; each block is small enough to buffer, which is what
// OpenPGP.js does when it decrypts v1. No key pair is involved, so this needs no crypto worker
// state and runs wherever the blocks are (a pool of workers in the browser, Node on the CLI).
import * as openpgp from 'openpgp';
import { DECOMPRESSED_BYTES } from '../protocol/decompression';

/** OpenPGP's name for AES-256, and its number in `--override-session-key`. */
export const BLOCK_ALGORITHM = 'aes256';
export const BLOCK_ALGORITHM_ID = 9;

/** We never compress a block, but a sender could: it may unpack to no more than a block holds. */
const CONFIG: Partial<openpgp.Config> = {
	aeadProtect: false,
	maxDecompressedMessageSize: DECOMPRESSED_BYTES.block
};

export async function encryptBlock(plain: Uint8Array, key: Uint8Array): Promise<Uint8Array> {
	const message = await openpgp.createMessage({ binary: plain, format: 'binary' });
	return openpgp.encrypt({
		message,
		sessionKey: { data: key, algorithm: BLOCK_ALGORITHM },
		format: 'binary',
		config: CONFIG
	});
}

/** Throws when the block is not an intact encryption under `key` (the MDC does not match). */
export async function decryptBlock(cipher: Uint8Array, key: Uint8Array): Promise<Uint8Array> {
	const message = await openpgp.readMessage({ binaryMessage: cipher, config: CONFIG });
	const { data } = await openpgp.decrypt({
		message,
		sessionKeys: { data: key, algorithm: BLOCK_ALGORITHM },
		format: 'binary',
		config: CONFIG
	});
	return data;
}
