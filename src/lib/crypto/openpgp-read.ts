// Reading what OpenPGP is handed (keys, messages, signatures) with the limits hostile input
// needs, and the one check every signature passes. Used by the engine only; errors come out as
// CryptoError kinds with OpenPGP's own explanation as their cause.
import * as openpgp from 'openpgp';
import { DECOMPRESSED_BYTES } from '../protocol/decompression';
import { LOGIN_NOTATION } from '../protocol/login-challenge';
import { CryptoError, damaged, malformedIfBomb } from './errors';
import type { SignatureCheck } from './types';

/**
 * Iterated-and-salted S2K, not Argon2: Argon2 needs WebAssembly, which Tor Browser's "Safer"
 * level disables. No AEAD key protection or v6 keys, so GnuPG 2.2 reads what we make.
 */
export const CONFIG: Partial<openpgp.Config> = {
	s2kType: openpgp.enums.s2k.iterated,
	aeadProtect: false,
	v6Keys: false
};

/** For reading and decrypting what others send: a compressed packet inside may unpack only so
 * far (see DECOMPRESSED_BYTES), or one small letter could take all the memory there is. */
export const READ_CONFIG: Partial<openpgp.Config> = {
	...CONFIG,
	maxDecompressedMessageSize: DECOMPRESSED_BYTES.message
};

type VerificationResults = Awaited<ReturnType<typeof openpgp.decrypt>>['signatures'];

/**
 * The one place every signature the client checks passes: letters, attachment blocks, state
 * entries and forwarded originals. The first signature decides; a message we make carries
 * exactly one. A signature made to sign in to a relay is never valid here, whatever text it is
 * over and whichever key made it: a relay holds such signatures and must not pass them off as
 * mail (OpenPGP.js would refuse its critical notation anyway; this does not depend on that).
 */
export async function checkSignatures(
	signatures: VerificationResults,
	senders: openpgp.PublicKey[]
): Promise<SignatureCheck> {
	const first = signatures[0];
	if (!first) return { state: 'unsigned', signer: null, signedAt: null };
	const signer = senders.find((sender) =>
		sender.getKeyIDs().some((keyId) => keyId.equals(first.keyID))
	);
	const found = await Promise.all(signatures.map((each) => each.signature.catch(() => null)));
	const signedAt = found[0]?.packets[0]?.created?.toISOString() ?? null;
	const signerId = signer ? fingerprintOf(signer) : first.keyID.toHex().toUpperCase();
	if (found.some(isLoginSignature)) return { state: 'invalid', signer: signerId, signedAt };
	if (!signer) return { state: 'unknown-key', signer: signerId, signedAt };
	const valid = await first.verified.then(
		() => true,
		() => false
	);
	return { state: valid ? 'valid' : 'invalid', signer: signerId, signedAt };
}

function isLoginSignature(signature: openpgp.Signature | null): boolean {
	return (
		signature?.packets.some((packet) =>
			packet.rawNotations.some((notation) => notation.name === LOGIN_NOTATION)
		) ?? false
	);
}

export async function readEncrypted(
	reading: Promise<openpgp.Message<string | Uint8Array>>
): Promise<openpgp.Message<Uint8Array>> {
	return reading.then(
		(message) => message as openpgp.Message<Uint8Array>,
		(error: unknown) => {
			throw malformedIfBomb(error) ?? damaged('message', error);
		}
	);
}

export async function readPublicKey(armoredKey: string): Promise<openpgp.PublicKey> {
	const key = await openpgp.readKey({ armoredKey }).catch((error: unknown) => {
		throw new CryptoError(
			{ kind: 'bad-key', params: { reason: 'unreadable-public-key' } },
			{ cause: error }
		);
	});
	return key.isPrivate() ? key.toPublic() : key;
}

export async function readPrivateKey(armoredKey: string): Promise<openpgp.PrivateKey> {
	const key = await openpgp.readPrivateKey({ armoredKey }).catch((error: unknown) => {
		throw new CryptoError(
			{ kind: 'bad-key', params: { reason: 'unreadable-secret-key' } },
			{ cause: error }
		);
	});
	return key;
}

export async function decryptWith(
	key: openpgp.PrivateKey,
	passphrase: string
): Promise<openpgp.PrivateKey> {
	return openpgp.decryptKey({ privateKey: key, passphrase, config: CONFIG }).catch((error) => {
		throw new CryptoError({ kind: 'wrong-passphrase', params: { of: 'key' } }, { cause: error });
	});
}

export function requirePassphrase(passphrase: string): void {
	if (passphrase.length < 8) {
		throw new CryptoError({ kind: 'wrong-passphrase', params: { of: 'new-passphrase' } });
	}
}

export function fingerprintOf(key: openpgp.Key): string {
	return key.getFingerprint().toUpperCase();
}
