// Web Key Directory naming (draft-koch-openpgp-webkey-service): a key for local@domain is served
// at /.well-known/openpgpkey/hu/<z-base-32(SHA-1(lowercased local part))>.
import { createHash } from 'node:crypto';

/** The z-base-32 alphabet (RFC 6189 §5.1.6), chosen so that the likelier characters are the ones
 * that are easy to read and type. */
const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** Encodes bits most-significant first, five at a time; a last partial group is zero-padded. */
export function zbase32(bytes: Uint8Array): string {
	let out = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out += ZBASE32[(buffer >> bits) & 31];
		}
		buffer &= (1 << bits) - 1;
	}
	if (bits > 0) out += ZBASE32[(buffer << (5 - bits)) & 31];
	return out;
}

export function wkdHash(localPart: string): string {
	return zbase32(createHash('sha1').update(localPart.toLowerCase(), 'utf8').digest());
}
