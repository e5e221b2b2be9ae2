// The crypto engine's promises: keys GnuPG can read, locked at rest; every failure a CryptoError
// with a kind; and a signature state that tells valid, forged, unverifiable and unsigned apart.
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { CryptoError } from '../../src/lib/crypto/errors';
import type { CryptoErrorKind, GeneratedIdentity } from '../../src/lib/crypto/types';
import { formatLoginChallenge, LOGIN_NOTATION } from '../../src/lib/protocol/login-challenge';

const PASSPHRASE = 'correct horse battery staple';

let alice: GeneratedIdentity;
let bob: GeneratedIdentity;
const aliceEngine = new CryptoEngine();
const bobEngine = new CryptoEngine();

beforeAll(async () => {
	[alice, bob] = await Promise.all([
		aliceEngine.generateIdentity({
			name: 'Alice',
			address: 'alice@example.org',
			passphrase: PASSPHRASE
		}),
		bobEngine.generateIdentity({ name: 'Bob', address: 'bob@example.org', passphrase: PASSPHRASE })
	]);
	await aliceEngine.unlock({ lockedPrivateKey: alice.lockedPrivateKey, passphrase: PASSPHRASE });
	await bobEngine.unlock({ lockedPrivateKey: bob.lockedPrivateKey, passphrase: PASSPHRASE });
});

async function expectKind(promise: Promise<unknown>, kind: CryptoErrorKind): Promise<CryptoError> {
	const error = await promise.then(
		() => null,
		(caught: unknown) => caught
	);
	expect(error).toBeInstanceOf(CryptoError);
	expect((error as CryptoError).kind).toBe(kind);
	// A sentence for a person, not a library's internals.
	expect((error as CryptoError).message).toMatch(/^[A-Z].+\.$/);
	return error as CryptoError;
}

describe('keys', () => {
	it('generates a v4 key locked with the passphrase, for the address and name given', async () => {
		expect(alice.fingerprint).toMatch(/^[0-9A-F]{40}$/);
		const locked = await openpgp.readPrivateKey({ armoredKey: alice.lockedPrivateKey });
		expect(locked.isDecrypted()).toBe(false);
		expect(locked.keyPacket.version).toBe(4);
		const info = await aliceEngine.inspectPublicKey(alice.publicKey);
		expect(info).toMatchObject({
			fingerprint: alice.fingerprint,
			addresses: ['alice@example.org'],
			names: ['Alice'],
			usable: true
		});
		// New keys expire in two years unless extended (see key-lifecycle.test.ts).
		const years = (Date.parse(info.expiresAt!) - Date.now()) / (365.25 * 24 * 3600_000);
		expect(years).toBeCloseTo(2, 1);
		expect(await aliceEngine.currentIdentity()).toEqual({
			address: 'alice@example.org',
			name: 'Alice',
			fingerprint: alice.fingerprint
		});
	});

	it('refuses a wrong passphrase with kind wrong-passphrase', async () => {
		const engine = new CryptoEngine();
		await expectKind(
			engine.unlock({ lockedPrivateKey: alice.lockedPrivateKey, passphrase: 'not the passphrase' }),
			'wrong-passphrase'
		);
		expect(await engine.currentIdentity()).toBeNull();
	});

	it('refuses a short passphrase for a new key', async () => {
		await expectKind(
			new CryptoEngine().generateIdentity({
				name: 'A',
				address: 'a@example.org',
				passphrase: 'short'
			}),
			'wrong-passphrase'
		);
	});

	it('needs an unlocked key to sign in, signs only login challenges, and forgets the key on lock', async () => {
		const challenge = formatLoginChallenge({
			relay: 'https://relay.example',
			address: 'bob@example.org',
			nonce: 'n'.repeat(43),
			issuedAt: '2026-01-01T00:00:00.000Z',
			expiresAt: '2026-01-01T00:05:00.000Z'
		});
		const engine = new CryptoEngine();
		await expectKind(engine.signLogin(challenge), 'locked');
		await engine.unlock({ lockedPrivateKey: bob.lockedPrivateKey, passphrase: PASSPHRASE });
		const signature = await engine.signLogin(challenge);
		const verified = await openpgp.verify({
			message: await openpgp.createMessage({ text: challenge }),
			signature: await openpgp.readSignature({ armoredSignature: signature }),
			verificationKeys: await openpgp.readKey({ armoredKey: bob.publicKey }),
			config: { knownNotations: [LOGIN_NOTATION] }
		});
		await expect(verified.signatures[0]!.verified).resolves.toBe(true);
		await expectKind(engine.signLogin('any other text'), 'not-a-challenge');
		await engine.lock();
		await expectKind(engine.signLogin(challenge), 'locked');
	});

	it('relocks a key with a new passphrase, which alone then unlocks it', async () => {
		const relocked = await aliceEngine.relockKey({
			lockedPrivateKey: alice.lockedPrivateKey,
			passphrase: PASSPHRASE,
			newPassphrase: 'a different passphrase 7'
		});
		const engine = new CryptoEngine();
		await expectKind(
			engine.unlock({ lockedPrivateKey: relocked, passphrase: PASSPHRASE }),
			'wrong-passphrase'
		);
		const info = await engine.unlock({
			lockedPrivateKey: relocked,
			passphrase: 'a different passphrase 7'
		});
		expect(info.fingerprint).toBe(alice.fingerprint);
		await expectKind(
			engine.relockKey({
				lockedPrivateKey: alice.lockedPrivateKey,
				passphrase: 'wrong passphrase',
				newPassphrase: 'a different passphrase 7'
			}),
			'wrong-passphrase'
		);
	});

	it('imports a secret key only for an address in its user IDs', async () => {
		const { privateKey } = await openpgp.generateKey({
			userIDs: [{ name: 'Carol', email: 'carol@example.org' }],
			passphrase: PASSPHRASE,
			format: 'armored'
		});
		const engine = new CryptoEngine();
		const imported = await engine.importIdentity({
			armoredSecretKey: privateKey,
			passphrase: PASSPHRASE,
			address: 'carol@example.org'
		});
		expect(imported.name).toBe('Carol');
		const locked = await openpgp.readPrivateKey({ armoredKey: imported.lockedPrivateKey });
		expect(locked.isDecrypted()).toBe(false);
		await expectKind(
			engine.importIdentity({
				armoredSecretKey: privateKey,
				passphrase: PASSPHRASE,
				address: 'mallory@example.org'
			}),
			'bad-key'
		);
		await expectKind(
			engine.importIdentity({
				armoredSecretKey: 'not a key',
				passphrase: PASSPHRASE,
				address: 'a@b.c'
			}),
			'bad-key'
		);
	});
});

describe('messages', () => {
	it('a signed message from a known sender is valid, and also readable by the sender', async () => {
		const message = await aliceEngine.encryptAndSign({
			text: 'Hello Bob',
			recipientKeys: [bob.publicKey]
		});
		const received = await bobEngine.decryptAndVerify({ message, senderKeys: [alice.publicKey] });
		expect(received.text).toBe('Hello Bob');
		expect(received.signature.state).toBe('valid');
		expect(received.signature.signer).toBe(alice.fingerprint);
		expect(Number.isNaN(Date.parse(received.signature.signedAt ?? ''))).toBe(false);
		const sent = await aliceEngine.decryptAndVerify({ message, senderKeys: [alice.publicKey] });
		expect(sent.text).toBe('Hello Bob');
	});

	it('a signature by a key the directory does not serve is unknown-key, with the key ID', async () => {
		const message = await aliceEngine.encryptAndSign({
			text: 'Hi',
			recipientKeys: [bob.publicKey]
		});
		const received = await bobEngine.decryptAndVerify({ message, senderKeys: [bob.publicKey] });
		expect(received.signature.state).toBe('unknown-key');
		const keyId = (await openpgp.readKey({ armoredKey: alice.publicKey })).getKeyID().toHex();
		expect(received.signature.signer).toBe(keyId.toUpperCase());
	});

	it('a message encrypted without a signature is unsigned', async () => {
		const message = await openpgp.encrypt({
			message: await openpgp.createMessage({ text: 'Who wrote this?' }),
			encryptionKeys: await openpgp.readKey({ armoredKey: bob.publicKey })
		});
		const received = await bobEngine.decryptAndVerify({ message, senderKeys: [alice.publicKey] });
		expect(received.text).toBe('Who wrote this?');
		expect(received.signature).toEqual({ state: 'unsigned', signer: null, signedAt: null });
	});

	it('a signed text altered before encryption is invalid', async () => {
		const aliceKey = await openpgp.decryptKey({
			privateKey: await openpgp.readPrivateKey({ armoredKey: alice.lockedPrivateKey }),
			passphrase: PASSPHRASE
		});
		const signed = await openpgp.sign({
			message: await openpgp.createMessage({ text: 'Pay Bob 10 euros' }),
			signingKeys: aliceKey,
			format: 'object'
		});
		// Swap the signed literal data for other text, keeping Alice's signature packets around it.
		const forged = await openpgp.createMessage({ text: 'Pay Mallory 1000 euros' });
		const literal = openpgp.enums.packet.literalData;
		const index = signed.packets.indexOf(signed.packets.findPacket(literal)!);
		signed.packets[index] = forged.packets.findPacket(literal)!;
		const message = await openpgp.encrypt({
			message: signed,
			encryptionKeys: await openpgp.readKey({ armoredKey: bob.publicKey })
		});
		const received = await bobEngine.decryptAndVerify({ message, senderKeys: [alice.publicKey] });
		expect(received.text).toBe('Pay Mallory 1000 euros');
		expect(received.signature.state).toBe('invalid');
		expect(received.signature.signer).toBe(alice.fingerprint);
	});

	it('refuses to encrypt to an expired key, naming it', async () => {
		const { publicKey } = await openpgp.generateKey({
			userIDs: [{ name: 'Old', email: 'old@example.org' }],
			date: new Date(Date.now() - 10 * 24 * 3600 * 1000),
			keyExpirationTime: 24 * 3600,
			format: 'armored'
		});
		const info = await aliceEngine.inspectPublicKey(publicKey);
		expect(info.usable).toBe(false);
		expect(Date.parse(info.expiresAt ?? '')).toBeLessThan(Date.now());
		const error = await expectKind(
			aliceEngine.encryptAndSign({ text: 'x', recipientKeys: [bob.publicKey, publicKey] }),
			'unusable-recipient-key'
		);
		expect(error.message.replace(/ /g, '')).toContain(info.fingerprint.slice(0, 8));
	});

	it('reports damaged messages and messages for someone else by kind', async () => {
		await expectKind(
			bobEngine.decryptAndVerify({ message: 'garbage', senderKeys: [] }),
			'bad-message'
		);
		const { publicKey: carol } = await openpgp.generateKey({
			userIDs: [{ email: 'carol@example.org' }],
			format: 'armored'
		});
		const forCarol = await openpgp.encrypt({
			message: await openpgp.createMessage({ text: 'not for Bob' }),
			encryptionKeys: await openpgp.readKey({ armoredKey: carol })
		});
		await expectKind(
			bobEngine.decryptAndVerify({ message: forCarol, senderKeys: [] }),
			'not-for-you'
		);
	});

	it('round-trips bytes exactly as a binary message, signed, readable by the sender too', async () => {
		// Every byte value, including ones that are not valid UTF-8 or line ends.
		const data = Uint8Array.from({ length: 70_000 }, (_, index) => (index * 7919) % 256);
		const message = await aliceEngine.encryptAndSignBytes({ data, recipientKeys: [bob.publicKey] });
		expect(message[0]! & 0x80).toBe(0x80); // an OpenPGP packet header, not armor text
		const received = await bobEngine.decryptAndVerifyBytes({
			message,
			senderKeys: [alice.publicKey]
		});
		expect(received.data).toEqual(data);
		expect(received.signature).toMatchObject({ state: 'valid', signer: alice.fingerprint });
		const sent = await aliceEngine.decryptAndVerifyBytes({ message, senderKeys: [] });
		expect(sent.data).toEqual(data);
		expect(sent.signature.state).toBe('unknown-key');
		await expectKind(
			bobEngine.decryptAndVerifyBytes({ message: message.subarray(0, 40), senderKeys: [] }),
			'bad-message'
		);
	});
});

describe('forwarding with the original signature', () => {
	it('passes on the signed text and a detached signature that anyone with the key can check', async () => {
		const text = 'Subject: Plans\r\n\r\nMeet at noon.\r\nBring the map.';
		const message = await aliceEngine.encryptAndSign({ text, recipientKeys: [bob.publicKey] });
		const original = await bobEngine.signedOriginal({ message });
		expect(original.text.replace(/\r\n/g, '\n')).toBe(text.replace(/\r\n/g, '\n'));
		expect(original.signature).toMatch(/^-----BEGIN PGP SIGNATURE-----/);

		// Anyone: an engine with no key unlocked at all.
		const verifier = new CryptoEngine();
		const checked = await verifier.verifyDetached({ ...original, senderKeys: [alice.publicKey] });
		expect(checked).toMatchObject({ state: 'valid', signer: alice.fingerprint });
		const altered = await verifier.verifyDetached({
			...original,
			text: original.text.replace('noon', 'midnight'),
			senderKeys: [alice.publicKey]
		});
		expect(altered.state).toBe('invalid');
		const wrongKey = await verifier.verifyDetached({ ...original, senderKeys: [bob.publicKey] });
		expect(wrongKey.state).toBe('unknown-key');
		await expectKind(
			verifier.verifyDetached({ ...original, signature: 'nonsense', senderKeys: [] }),
			'bad-message'
		);
	});

	it('refuses to pass on a signature that a message does not have', async () => {
		const unsigned = await openpgp.encrypt({
			message: await openpgp.createMessage({ text: 'no signature here' }),
			encryptionKeys: await openpgp.readKey({ armoredKey: bob.publicKey })
		});
		await expectKind(bobEngine.signedOriginal({ message: unsigned }), 'bad-message');
	});
});
