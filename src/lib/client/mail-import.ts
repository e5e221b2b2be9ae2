// Turns a mail file into what the relay may keep: for each message, ciphertext encrypted to the
// user. PGP/MIME messages (RFC 3156) keep their ciphertext exactly, once it has been shown to
// open with the user's key, so the sender's signature can still be checked when read. Anything
// else is encrypted to the user's own key on this device, unsigned, before it leaves. Every
// message of a file is prepared before any is uploaded: a bad one means nothing is imported.
import PostalMime from 'postal-mime';
import { isValidAddress } from '../protocol';
import type { CryptoApi } from '../crypto/types';
import { MailFileError, splitMailFile } from './mail-file';

export interface PreparedImport {
	/** The sender the message names; shown until it is decrypted, marked as imported. */
	from: string;
	/** Armored OpenPGP message encrypted to the user. */
	message: string;
}

/** A header line at the very start, as every RFC 5322 message has. */
const STARTS_WITH_HEADER = /^[!-9;-~]+:/;

async function prepareOne(crypto: CryptoApi, raw: string): Promise<PreparedImport> {
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
	if (!pgpMime) return { from, message: await crypto.encryptToSelf(raw) };

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
	return { from, message: armored.trim() };
}

/** Every message of a `.eml` or mbox file, ready to upload; throws MailFileError naming the
 * first message that cannot be imported. */
export async function prepareMailFile(crypto: CryptoApi, text: string): Promise<PreparedImport[]> {
	const messages = splitMailFile(text);
	if (messages.length === 0)
		throw new MailFileError('The file holds no mail; nothing was imported.');
	const prepared: PreparedImport[] = [];
	for (const [index, raw] of messages.entries()) {
		try {
			prepared.push(await prepareOne(crypto, raw));
		} catch (error) {
			if (!(error instanceof MailFileError)) throw error;
			const which =
				messages.length === 1 ? 'The message' : `Message ${index + 1} of ${messages.length}`;
			throw new MailFileError(
				`${which} cannot be imported: ${error.message}. Nothing was imported; check that this is an .eml or mbox file.`
			);
		}
	}
	return prepared;
}
