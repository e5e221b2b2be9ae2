// OpenPGP engine: with openpgp-read.ts, the only module that touches key objects. It runs inside the crypto Web
// Worker in the browser and directly in Node for the command line and the tests.
import * as openpgp from 'openpgp';
import { decryptBlock, encryptBlock } from './block-cipher';
import { isCertifiedBy } from '../protocol/certification';
import { loginNotation, parseLoginChallenge } from '../protocol/login-challenge';
import { CryptoError, damaged, malformedIfBomb } from './errors';
import { certifySuccessor, extendExpiry, lifetimeSeconds, revoke } from './key-lifecycle';
import {
	CONFIG,
	READ_CONFIG,
	checkSignatures,
	decryptWith,
	fingerprintOf,
	readEncrypted,
	readPrivateKey,
	readPublicKey,
	requirePassphrase
} from './openpgp-read';
import type {
	CryptoApi,
	DecryptedBytes,
	DecryptedText,
	GeneratedIdentity,
	IdentityInfo,
	KeyInfo,
	KeyUpdate,
	SignatureCheck,
	SignedText
} from './types';

// OpenPGP.js has this method (it zeroes every decrypted key packet) but its typings omit it.
declare module 'openpgp' {
	interface PrivateKey {
		clearPrivateParams(): void;
	}
}

export class CryptoEngine implements CryptoApi {
	#key: openpgp.PrivateKey | null = null;
	/** Keys this identity rotated away from: still needed to read mail sent to them. */
	#previous: openpgp.PrivateKey[] = [];
	#identity: IdentityInfo | null = null;

	async generateIdentity(input: {
		name: string;
		address: string;
		passphrase: string;
	}): Promise<GeneratedIdentity> {
		requirePassphrase(input.passphrase);
		const { privateKey, publicKey } = await openpgp.generateKey({
			type: 'ecc',
			curve: 'curve25519Legacy',
			userIDs: [{ name: input.name.trim(), email: input.address }],
			passphrase: input.passphrase,
			keyExpirationTime: lifetimeSeconds(),
			format: 'armored',
			config: CONFIG
		});
		const info = await this.inspectPublicKey(publicKey);
		return {
			address: input.address,
			name: input.name.trim(),
			fingerprint: info.fingerprint,
			publicKey,
			lockedPrivateKey: privateKey
		};
	}

	async importIdentity(input: {
		armoredSecretKey: string;
		passphrase: string;
		address: string;
	}): Promise<GeneratedIdentity> {
		requirePassphrase(input.passphrase);
		const key = await readPrivateKey(input.armoredSecretKey);
		const unlocked = key.isDecrypted() ? key : await decryptWith(key, input.passphrase);
		const userId = key.users
			.map((user) => user.userID)
			.find((id) => id?.email.toLowerCase() === input.address);
		if (!userId) {
			throw new CryptoError({
				kind: 'bad-key',
				params: { reason: 'no-user-id', address: input.address }
			});
		}
		const locked = await openpgp.encryptKey({
			privateKey: unlocked,
			passphrase: input.passphrase,
			config: CONFIG
		});
		// encryptKey locked a copy; the decrypted original is not needed again.
		unlocked.clearPrivateParams();
		return {
			address: input.address,
			name: userId.name,
			fingerprint: fingerprintOf(key),
			publicKey: key.toPublic().armor(),
			lockedPrivateKey: locked.armor()
		};
	}

	async unlock(input: {
		lockedPrivateKey: string;
		passphrase: string;
		previousLockedKeys?: string[];
	}): Promise<IdentityInfo> {
		const key = await readPrivateKey(input.lockedPrivateKey);
		const unlocked = await decryptWith(key, input.passphrase);
		// Unlocking again without a lock in between must not leave the earlier copies behind.
		const replaced = this.heldKeys();
		this.#previous = await Promise.all(
			(input.previousLockedKeys ?? []).map(async (armored) =>
				decryptWith(await readPrivateKey(armored), input.passphrase)
			)
		);
		const primary = await unlocked.getPrimaryUser();
		for (const held of replaced) held.clearPrivateParams();
		this.#key = unlocked;
		this.#identity = {
			address: primary.user.userID?.email.toLowerCase() ?? '',
			name: primary.user.userID?.name ?? '',
			fingerprint: fingerprintOf(unlocked)
		};
		return this.#identity;
	}

	async relockKey(input: {
		lockedPrivateKey: string;
		passphrase: string;
		newPassphrase: string;
	}): Promise<string> {
		requirePassphrase(input.newPassphrase);
		const unlocked = await decryptWith(
			await readPrivateKey(input.lockedPrivateKey),
			input.passphrase
		);
		const locked = await openpgp.encryptKey({
			privateKey: unlocked,
			passphrase: input.newPassphrase,
			config: CONFIG
		});
		unlocked.clearPrivateParams();
		return locked.armor();
	}

	async lock(): Promise<void> {
		// Zeroes the decrypted secret numbers in place before dropping the references, so they do
		// not linger in the worker's memory until a collection that may never come. (Copies that
		// OpenPGP.js or the engine's garbage made along the way cannot be reached from here.)
		for (const key of this.heldKeys()) key.clearPrivateParams();
		this.#key = null;
		this.#previous = [];
		this.#identity = null;
	}

	/** The decrypted key objects this engine holds. Not part of CryptoApi, so the worker never
	 * answers it; a test in Node uses it to see that lock wipes them. */
	heldKeys(): openpgp.PrivateKey[] {
		return this.#key ? [this.#key, ...this.#previous] : [...this.#previous];
	}

	async extendKey(input: { lockedPrivateKey: string }): Promise<KeyUpdate> {
		return this.#updateOwnKey(input.lockedPrivateKey, extendExpiry);
	}

	async revokeKey(input: { lockedPrivateKey: string }): Promise<KeyUpdate> {
		return this.#updateOwnKey(input.lockedPrivateKey, revoke);
	}

	/** New signatures on our own key, merged into both the stored locked key and the unlocked one
	 * (so that signing keeps working after an extension). */
	async #updateOwnKey(
		lockedPrivateKey: string,
		change: (unlocked: openpgp.PrivateKey, locked: openpgp.PrivateKey) => Promise<KeyUpdate>
	): Promise<KeyUpdate> {
		const key = this.#requireKey();
		const locked = await readPrivateKey(lockedPrivateKey);
		if (fingerprintOf(locked) !== fingerprintOf(key)) {
			throw new CryptoError({ kind: 'bad-key', params: { reason: 'not-the-unlocked-key' } });
		}
		const update = await change(key, locked);
		this.#key = await key.update(await readPublicKey(update.publicKey));
		return update;
	}

	/**
	 * A new key for the same identity, certified by the current one, locked with the same
	 * passphrase (checked against `lockedPrivateKey`). The new key becomes the unlocked one; the
	 * old one stays for reading mail sent to it.
	 */
	async rotateKey(input: {
		lockedPrivateKey: string;
		passphrase: string;
	}): Promise<GeneratedIdentity> {
		const old = this.#requireKey();
		const identity = this.#identity!;
		// Only proves the passphrase: the copy it decrypts is wiped at once.
		(
			await decryptWith(await readPrivateKey(input.lockedPrivateKey), input.passphrase)
		).clearPrivateParams();
		const { privateKey } = await openpgp.generateKey({
			type: 'ecc',
			curve: 'curve25519Legacy',
			userIDs: [{ name: identity.name, email: identity.address }],
			keyExpirationTime: lifetimeSeconds(),
			format: 'object',
			config: CONFIG
		});
		const successor = await certifySuccessor(privateKey, old);
		const locked = await openpgp.encryptKey({
			privateKey: successor,
			passphrase: input.passphrase,
			config: CONFIG
		});
		this.#previous = [old, ...this.#previous];
		this.#key = successor;
		this.#identity = { ...identity, fingerprint: fingerprintOf(successor) };
		return {
			...this.#identity,
			publicKey: successor.toPublic().armor(),
			lockedPrivateKey: locked.armor()
		};
	}

	async certifiedBy(input: {
		publicKey: string;
		certifier: string;
		address: string;
	}): Promise<boolean> {
		return isCertifiedBy(
			await readPublicKey(input.publicKey),
			await readPublicKey(input.certifier),
			input.address
		);
	}

	async currentIdentity(): Promise<IdentityInfo | null> {
		return this.#identity;
	}

	async signLogin(challenge: string): Promise<string> {
		const key = this.#requireKey();
		// The relay client checked the challenge for this relay and address; this check keeps the
		// worker from signing anything that is not a challenge at all, whoever asks.
		if (!parseLoginChallenge(challenge)) {
			throw new CryptoError({ kind: 'not-a-challenge', params: {} });
		}
		return openpgp.sign({
			message: await openpgp.createMessage({ text: challenge }),
			signingKeys: key,
			detached: true,
			signatureNotations: [loginNotation()],
			format: 'armored',
			config: CONFIG
		});
	}

	async inspectPublicKey(armoredPublicKey: string): Promise<KeyInfo> {
		const key = await readPublicKey(armoredPublicKey);
		const users = key.users.map((user) => user.userID).filter((id) => id !== null);
		const expiry = await key.getExpirationTime().catch(() => null);
		return {
			fingerprint: fingerprintOf(key),
			addresses: users.map((id) => id.email.toLowerCase()),
			names: users.map((id) => id.name),
			createdAt: key.getCreationTime().toISOString(),
			expiresAt: expiry instanceof Date ? expiry.toISOString() : null,
			usable: await key.verifyPrimaryKey().then(
				() => true,
				() => false
			)
		};
	}

	async encryptAndSign(input: { text: string; recipientKeys: string[] }): Promise<string> {
		return openpgp.encrypt({
			message: await openpgp.createMessage({ text: input.text }),
			...(await this.#encryptionParties(input.recipientKeys)),
			format: 'armored',
			config: CONFIG
		});
	}

	async encryptToSelf(text: string): Promise<string> {
		return openpgp.encrypt({
			message: await openpgp.createMessage({ text }),
			encryptionKeys: this.#requireKey().toPublic(),
			format: 'armored',
			config: CONFIG
		});
	}

	async encryptAndSignBytes(input: {
		data: Uint8Array;
		recipientKeys: string[];
	}): Promise<Uint8Array> {
		return openpgp.encrypt({
			message: await openpgp.createMessage({ binary: input.data }),
			...(await this.#encryptionParties(input.recipientKeys)),
			format: 'binary',
			config: CONFIG
		});
	}

	async decryptAndVerify(input: { message: string; senderKeys: string[] }): Promise<DecryptedText> {
		const message = await readEncrypted(
			openpgp.readMessage({ armoredMessage: input.message, config: READ_CONFIG })
		);
		const { data, signature } = await this.#decrypt(message, input.senderKeys, 'utf8');
		return { text: data, signature };
	}

	async decryptAndVerifyBytes(input: {
		message: Uint8Array;
		senderKeys: string[];
	}): Promise<DecryptedBytes> {
		const message = await readEncrypted(
			openpgp.readMessage({ binaryMessage: input.message, config: READ_CONFIG })
		);
		return this.#decrypt(message, input.senderKeys, 'binary');
	}

	/** Signs with our key and encrypts to every usable recipient key plus our own (Sent folder). */
	async #encryptionParties(recipientKeys: string[]) {
		const key = this.#requireKey();
		const recipients = await Promise.all(recipientKeys.map(readPublicKey));
		for (const recipient of recipients) {
			const usable = await recipient.getEncryptionKey().then(
				() => true,
				() => false
			);
			if (!usable) {
				throw new CryptoError({
					kind: 'unusable-recipient-key',
					params: {
						fingerprint: fingerprintOf(recipient)
					}
				});
			}
		}
		return { encryptionKeys: [...recipients, key.toPublic()], signingKeys: key };
	}

	async #decrypt<F extends 'utf8' | 'binary'>(
		message: openpgp.Message<Uint8Array>,
		senderKeys: string[],
		format: F
	): Promise<{ data: F extends 'utf8' ? string : Uint8Array; signature: SignatureCheck }> {
		const senders = await Promise.all(senderKeys.map(readPublicKey));
		const result = await this.#openpgpDecrypt(message, senders, format);
		return {
			data: result.data as F extends 'utf8' ? string : Uint8Array,
			signature: await checkSignatures(result.signatures, senders)
		};
	}

	#openpgpDecrypt<F extends 'utf8' | 'binary'>(
		message: openpgp.Message<Uint8Array>,
		senders: openpgp.PublicKey[],
		format: F
	) {
		const key = this.#requireKey();
		return openpgp
			.decrypt({
				message,
				// Mail sent before a rotation was encrypted to a key this one replaced.
				decryptionKeys: [key, ...this.#previous],
				verificationKeys: senders,
				format,
				config: READ_CONFIG
			})
			.catch((error: unknown) => {
				throw (
					malformedIfBomb(error) ??
					new CryptoError({ kind: 'not-for-you', params: {} }, { cause: error })
				);
			});
	}

	async signedOriginal(input: { message: string }): Promise<SignedText> {
		const message = await readEncrypted(
			openpgp.readMessage({ armoredMessage: input.message, config: READ_CONFIG })
		);
		const { data: text, signatures } = await this.#openpgpDecrypt(message, [], 'utf8');
		const signature = await signatures[0]?.signature.catch(() => undefined);
		if (!signature) {
			throw new CryptoError({ kind: 'bad-message', params: { reason: 'not-signed' } });
		}
		return { text, signature: signature.armor() };
	}

	async verifyDetached(input: SignedText & { senderKeys: string[] }): Promise<SignatureCheck> {
		const senders = await Promise.all(input.senderKeys.map(readPublicKey));
		const signature = await openpgp
			.readSignature({ armoredSignature: input.signature })
			.catch((error: unknown) => {
				throw damaged('signature', error);
			});
		const result = await openpgp.verify({
			message: await openpgp.createMessage({ text: input.text }),
			signature,
			verificationKeys: senders,
			config: CONFIG
		});
		return checkSignatures(result.signatures, senders);
	}

	async sealWithPassphrase(input: { text: string; passphrase: string }): Promise<string> {
		requirePassphrase(input.passphrase);
		return openpgp.encrypt({
			message: await openpgp.createMessage({ text: input.text }),
			passwords: [input.passphrase],
			config: CONFIG
		});
	}

	async openWithPassphrase(input: { message: string; passphrase: string }): Promise<string> {
		const message = await openpgp
			.readMessage({ armoredMessage: input.message, config: READ_CONFIG })
			.catch((error: unknown) => {
				throw malformedIfBomb(error) ?? damaged('file', error);
			});
		const result = await openpgp
			.decrypt({ message, passwords: [input.passphrase], config: READ_CONFIG })
			.catch((error: unknown) => {
				throw (
					malformedIfBomb(error) ??
					new CryptoError({ kind: 'wrong-passphrase', params: { of: 'file' } }, { cause: error })
				);
			});
		return typeof result.data === 'string' ? result.data : String(result.data);
	}

	encryptAttachmentBlock(input: { plain: Uint8Array; key: Uint8Array }): Promise<Uint8Array> {
		return encryptBlock(input.plain, input.key);
	}

	async decryptAttachmentBlock(input: { block: Uint8Array; key: Uint8Array }): Promise<Uint8Array> {
		return decryptBlock(input.block, input.key).catch((error: unknown) => {
			throw damaged('block', error);
		});
	}

	#requireKey(): openpgp.PrivateKey {
		if (!this.#key) throw new CryptoError({ kind: 'locked', params: {} });
		return this.#key;
	}
}
