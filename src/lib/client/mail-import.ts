// Turns a mail file into what the relay may keep: for each message, ciphertext encrypted to the
// user. PGP/MIME messages (RFC 3156) keep their ciphertext exactly, once it has been shown to
// open with the user's key, so the sender's signature can still be checked when read. Anything
// else is encrypted to the user's own key on this device, unsigned, before it leaves. Every
// message of a file is checked before any is uploaded (mail-import-run.ts): a bad one means
// nothing is imported.
import PostalMime from 'postal-mime';
import { LIMITS, isValidAddress } from '../protocol';
import type { CryptoApi } from '../crypto/types';
import { MailFileError } from './mail-file';

export interface PreparedImport {
	/** The sender the message names; shown until it is decrypted, marked as imported. */
	from: string;
	/** Armored OpenPGP message encrypted to the user. */
	message: string;
}

/** A header line at the very start, as every RFC 5322 message has. */
const STARTS_WITH_HEADER = /^[!-9;-~]+:/;

/** The most text one letter may have: its armored ciphertext (a third larger, as base64) must
 * still fit in one request. */
export const MAX_LETTER_CHARS = Math.floor((LIMITS.bodyBytes.send * 3) / 4) - 64 * 1024;

/** Checks that `raw` can be imported, without encrypting it: its sender, and for PGP/MIME the
 * ciphertext kept (once shown to open with the user's key); throws MailFileError saying why not. */
export async function checkLetter(
	crypto: CryptoApi,
	raw: string
): Promise<{ from: string; armored?: string }> {
	if (raw.length > MAX_LETTER_CHARS) {
		throw new MailFileError(
			`it is larger than the ${(MAX_LETTER_CHARS / 1024 ** 2).toFixed(1)} MiB one letter may have`
		);
	}
	if (!STARTS_WITH_HEADER.test(raw)) {
		throw new MailFileError('it does not start with mail headers (such as "From:")');
	}
	const email = await PostalMime.parse(raw);
	const from = email.from?.address?.toLowerCase() ?? '';
	if (!isValidAddress(from)) {
		throw new MailFileError('it has no sender address in its "From:" header');
	}
	const contentType = email.headers.find((header) => header.key === 'content-type')?.value ?? '';
	const pgpMime =
		/^\s*multipart\/encrypted\b/i.test(contentType) &&
		/protocol\s*=\s*"?application\/pgp-encrypted/i.test(contentType);
	if (!pgpMime) return { from };

	const part = email.attachments.find((attachment) =>
		/^application\/octet-stream$/i.test(attachment.mimeType)
	);
	const armored =
		part && typeof part.content !== 'string' ? new TextDecoder().decode(part.content) : '';
	if (!armored.includes('-----BEGIN PGP MESSAGE-----')) {
		throw new MailFileError('it is PGP/MIME but has no encrypted OpenPGP part');
	}
	try {
		await crypto.decryptAndVerify({ message: armored, senderKeys: [] });
	} catch {
		throw new MailFileError(
			'it is encrypted, but not to your key (or it is damaged), so it could never be read here'
		);
	}
	return { from, armored: armored.trim() };
}

/** The letter as the relay may keep it: PGP/MIME ciphertext as received, anything else
 * encrypted to the user's own key here. */
export async function prepareLetter(crypto: CryptoApi, raw: string): Promise<PreparedImport> {
	const { from, armored } = await checkLetter(crypto, raw);
	return { from, message: armored ?? (await crypto.encryptToSelf(raw)) };
}

/** The sentence for a letter that cannot be imported, `index` counted from 0. */
export function refusal(index: number, total: number, reason: string): MailFileError {
	const which = total === 1 ? 'The message' : `Message ${index + 1} of ${total}`;
	return new MailFileError(
		`${which} cannot be imported: ${reason}. Nothing was imported; check that this is an .eml or mbox file.`
	);
}
