// A decompression bomb in real OpenPGP: a compressed data packet (zlib) whose literal data is
// nothing but zeros. Deflate shrinks zeros about a thousandfold, so 256 MiB unpacked travels as
// about 350 KiB of armor, the size of the one the review found.
import { createDeflate } from 'node:zlib';
import * as openpgp from 'openpgp';

const deflated = new Map<number, Promise<Uint8Array>>();

/** A literal data packet (tag 11, binary, no file name, no date) of `size` zero bytes, deflated
 * as a stream so the test never holds the unpacked bytes itself; made once per size. */
function deflatedZeros(size: number): Promise<Uint8Array> {
	const made = deflated.get(size);
	if (made) return made;
	const header = new Uint8Array([0xc0 | 11, 0xff, 0, 0, 0, 0, 0x62, 0, 0, 0, 0, 0]);
	new DataView(header.buffer).setUint32(2, 6 + size);
	const making = new Promise<Uint8Array>((resolve, reject) => {
		const deflate = createDeflate({ level: 9 });
		const chunks: Buffer[] = [];
		deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
		deflate.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
		deflate.on('error', reject);
		deflate.write(header);
		const mebibyte = Buffer.alloc(1024 * 1024);
		for (let left = size; left > 0; left -= mebibyte.length) {
			deflate.write(left >= mebibyte.length ? mebibyte : mebibyte.subarray(0, left));
		}
		deflate.end();
	});
	deflated.set(size, making);
	return making;
}

export interface BombOptions {
	unpackedBytes: number;
	/** Armored public keys to encrypt to, as a letter is. */
	encryptionKeys?: string[];
	/** Passphrases to encrypt with, as a backup file is. */
	passwords?: string[];
	/** An AES-256 session key alone, as an attachment block is. */
	sessionKey?: Uint8Array;
}

function compressedMessage(packet: Uint8Array): openpgp.Message<Uint8Array> {
	// OpenPGP.js's types leave out these fields; written like this, the packet keeps `packet` as
	// its compressed bytes instead of compressing anything itself.
	const compressed = Object.assign(new openpgp.CompressedDataPacket(), {
		algorithm: openpgp.enums.compression.zlib,
		compressed: packet
	});
	const packets = new openpgp.PacketList<openpgp.AnyPacket>();
	packets.push(compressed);
	return new openpgp.Message(packets);
}

/** The bomb, armored, encrypted as the options say (or not at all without any of them). */
export async function compressionBomb(options: BombOptions): Promise<string> {
	const message = compressedMessage(await deflatedZeros(options.unpackedBytes));
	if (!options.encryptionKeys && !options.passwords && !options.sessionKey) return message.armor();
	return openpgp.encrypt({
		message,
		...(options.encryptionKeys && {
			encryptionKeys: await Promise.all(
				options.encryptionKeys.map((armoredKey) => openpgp.readKey({ armoredKey }))
			)
		}),
		...(options.passwords && { passwords: options.passwords }),
		...(options.sessionKey && { sessionKey: { data: options.sessionKey, algorithm: 'aes256' } }),
		format: 'armored'
	});
}

/** The bomb's packets after an ordinary public key's, as one key block to publish. */
export async function keyWithBomb(publicKey: string, unpackedBytes: number): Promise<string> {
	const key = await openpgp.readKey({ armoredKey: publicKey });
	const bomb = compressedMessage(await deflatedZeros(unpackedBytes)).write() as Uint8Array;
	const bytes = new Uint8Array([...key.write(), ...bomb]);
	return openpgp.armor(openpgp.enums.armor.publicKey, bytes);
}
