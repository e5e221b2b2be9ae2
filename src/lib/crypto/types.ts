// The narrow, serialisable API between the app and its OpenPGP engine. Everything that crosses
// it is plain data (strings, arrays, plain objects) so it can cross a Web Worker boundary; the
// unlocked private key never leaves the engine.

export interface IdentityInfo {
	address: string;
	name: string;
	/** Uppercase hex fingerprint of the primary key. */
	fingerprint: string;
}

export interface GeneratedIdentity extends IdentityInfo {
	publicKey: string;
	/** Armored secret key, encrypted with the passphrase (iterated-and-salted S2K). */
	lockedPrivateKey: string;
}

/** Our own key after new signatures: the public key to publish, the locked key to keep. */
export interface KeyUpdate {
	publicKey: string;
	lockedPrivateKey: string;
}

export interface KeyInfo {
	fingerprint: string;
	/** Email addresses from the key's user IDs, lowercased. */
	addresses: string[];
	/** Display names from the key's user IDs, in the same order. */
	names: string[];
	createdAt: string;
	/** ISO date, or null when the key never expires. */
	expiresAt: string | null;
	/** False when the key is revoked, expired or its self-signatures do not verify. */
	usable: boolean;
}

export type SignatureState = 'valid' | 'invalid' | 'unknown-key' | 'unsigned';

export interface SignatureCheck {
	state: SignatureState;
	/** Fingerprint of the verifying key when known, else the issuer key ID in hex. */
	signer: string | null;
	signedAt: string | null;
}

export interface DecryptedText {
	text: string;
	signature: SignatureCheck;
}

/** A message's plaintext exactly as its sender signed it, with that signature on its own, so it
 * can be passed on and checked by anyone with the sender's public key ("forward with
 * signature"). */
export interface SignedText {
	text: string;
	/** Armored detached OpenPGP signature over `text` (a text-mode signature). */
	signature: string;
}

/** Binary plaintext, e.g. one block of an attachment. */
export interface DecryptedBytes {
	data: Uint8Array;
	signature: SignatureCheck;
}

/** The kinds and their parameters live with every other error's, in lib/errors.ts. */
export type { CryptoErrorKind } from '../errors';

export interface CryptoApi {
	generateIdentity(input: {
		name: string;
		address: string;
		passphrase: string;
	}): Promise<GeneratedIdentity>;
	/** Take an existing armored secret key (e.g. made by GnuPG); the result is passphrase-locked. */
	importIdentity(input: {
		armoredSecretKey: string;
		passphrase: string;
		address: string;
	}): Promise<GeneratedIdentity>;
	/** `previousLockedKeys`: keys rotated away from (same passphrase), kept to read old mail. */
	unlock(input: {
		lockedPrivateKey: string;
		passphrase: string;
		previousLockedKeys?: string[];
	}): Promise<IdentityInfo>;
	/** Our key valid for two more years from now; same fingerprint. */
	extendKey(input: { lockedPrivateKey: string }): Promise<KeyUpdate>;
	/** Our key with a revocation: publish it and nobody can encrypt to it any more. */
	revokeKey(input: { lockedPrivateKey: string }): Promise<KeyUpdate>;
	/** A new key certified by the unlocked one, which it replaces (see engine). */
	rotateKey(input: { lockedPrivateKey: string; passphrase: string }): Promise<GeneratedIdentity>;
	/** True when a user ID of `publicKey` with `address` carries a valid certification by
	 * `certifier`. */
	certifiedBy(input: { publicKey: string; certifier: string; address: string }): Promise<boolean>;
	/** The same secret key locked with `newPassphrase` instead; the unlocked key stays inside. */
	relockKey(input: {
		lockedPrivateKey: string;
		passphrase: string;
		newPassphrase: string;
	}): Promise<string>;
	lock(): Promise<void>;
	currentIdentity(): Promise<IdentityInfo | null>;
	/** Detached armored signature over a relay login challenge, marked with the login notation
	 * (protocol/login-challenge.ts); 'not-a-challenge' for any other text. */
	signLogin(challenge: string): Promise<string>;
	inspectPublicKey(armoredPublicKey: string): Promise<KeyInfo>;
	/** Sign with the unlocked key, encrypt to every recipient key and to our own key. */
	encryptAndSign(input: { text: string; recipientKeys: string[] }): Promise<string>;
	decryptAndVerify(input: { message: string; senderKeys: string[] }): Promise<DecryptedText>;
	/** Encrypted to the unlocked key alone and not signed: for mail imported from a file, which
	 * the user did not write, so that it reads as "not signed" rather than as theirs. */
	encryptToSelf(text: string): Promise<string>;
	/** Decrypts a message to us and keeps its sender's signature, detached; 'bad-message' if it is
	 * unsigned. */
	signedOriginal(input: { message: string }): Promise<SignedText>;
	/** Checks a detached signature over `text` against the given keys. */
	verifyDetached(input: SignedText & { senderKeys: string[] }): Promise<SignatureCheck>;
	/** Armored OpenPGP message readable with the passphrase alone (a backup file). */
	sealWithPassphrase(input: { text: string; passphrase: string }): Promise<string>;
	/** The text of a `sealWithPassphrase` message; 'wrong-passphrase' or 'bad-message' if not. */
	openWithPassphrase(input: { message: string; passphrase: string }): Promise<string>;
	/** Like encryptAndSign for bytes: a binary (unarmored) OpenPGP message of a binary literal. */
	encryptAndSignBytes(input: { data: Uint8Array; recipientKeys: string[] }): Promise<Uint8Array>;
	decryptAndVerifyBytes(input: {
		message: Uint8Array;
		senderKeys: string[];
	}): Promise<DecryptedBytes>;
	/** One attachment block under a file's session key (docs/PROTOCOL.md); needs no key pair,
	 * but runs here so that OpenPGP.js stays out of the page. */
	encryptAttachmentBlock(input: { plain: Uint8Array; key: Uint8Array }): Promise<Uint8Array>;
	/** Throws a 'bad-message' CryptoError when the block is not intact under `key`. */
	decryptAttachmentBlock(input: { block: Uint8Array; key: Uint8Array }): Promise<Uint8Array>;
}
