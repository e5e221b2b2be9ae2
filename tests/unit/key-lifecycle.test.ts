// A key's life: made with an expiry, extended without changing its fingerprint, replaced by a
// successor it certifies (old mail stays readable), revoked so nobody can encrypt to it.
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import type { GeneratedIdentity } from '../../src/lib/crypto/types';

const PASSPHRASE = 'correct horse battery staple';
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

let dana: GeneratedIdentity;
let erin: GeneratedIdentity;
const danaEngine = new CryptoEngine();
const erinEngine = new CryptoEngine();

beforeAll(async () => {
	[dana, erin] = await Promise.all([
		danaEngine.generateIdentity({
			name: 'Dana',
			address: 'dana@example.org',
			passphrase: PASSPHRASE
		}),
		erinEngine.generateIdentity({
			name: 'Erin',
			address: 'erin@example.org',
			passphrase: PASSPHRASE
		})
	]);
	await danaEngine.unlock({ lockedPrivateKey: dana.lockedPrivateKey, passphrase: PASSPHRASE });
	await erinEngine.unlock({ lockedPrivateKey: erin.lockedPrivateKey, passphrase: PASSPHRASE });
});

const yearsFromNow = (iso: string | null) => (new Date(iso!).getTime() - Date.now()) / YEAR_MS;

describe('key lifecycle', () => {
	it('makes v4 keys that expire in two years, locked with iterated S2K', async () => {
		const info = await danaEngine.inspectPublicKey(dana.publicKey);
		expect(yearsFromNow(info.expiresAt)).toBeCloseTo(2, 1);
		const key = await openpgp.readPrivateKey({ armoredKey: dana.lockedPrivateKey });
		expect(key.keyPacket.version).toBe(4);
		expect((key.keyPacket as unknown as { s2k?: { type: string } }).s2k?.type).toBe('iterated');
	});

	it('extends the expiry with new self-signatures; the fingerprint and passphrase stay', async () => {
		// A key that has one day left, as one made two years ago would. Made an hour ago, so the
		// extension's self-signature is the newer one even when both fall in the same second.
		const HOUR = 3600;
		const { privateKey } = await openpgp.generateKey({
			type: 'ecc',
			curve: 'curve25519Legacy',
			userIDs: [{ name: 'Frank', email: 'frank@example.org' }],
			passphrase: PASSPHRASE,
			date: new Date(Date.now() - HOUR * 1000),
			keyExpirationTime: HOUR + 24 * HOUR
		});
		const engine = new CryptoEngine();
		const frank = await engine.importIdentity({
			armoredSecretKey: privateKey,
			passphrase: PASSPHRASE,
			address: 'frank@example.org'
		});
		expect(yearsFromNow((await engine.inspectPublicKey(frank.publicKey)).expiresAt)).toBeLessThan(
			0.01
		);
		await engine.unlock({ lockedPrivateKey: frank.lockedPrivateKey, passphrase: PASSPHRASE });
		const update = await engine.extendKey({ lockedPrivateKey: frank.lockedPrivateKey });
		const info = await engine.inspectPublicKey(update.publicKey);
		expect(info.fingerprint).toBe(frank.fingerprint);
		expect(info.usable).toBe(true);
		expect(yearsFromNow(info.expiresAt)).toBeCloseTo(2, 1);
		const relocked = new CryptoEngine();
		await relocked.unlock({ lockedPrivateKey: update.lockedPrivateKey, passphrase: PASSPHRASE });
		expect((await relocked.currentIdentity())?.fingerprint).toBe(frank.fingerprint);
		// Still signs and encrypts after the update.
		const sealed = await engine.encryptAndSign({ text: 'hi', recipientKeys: [erin.publicKey] });
		const opened = await erinEngine.decryptAndVerify({
			message: sealed,
			senderKeys: [update.publicKey]
		});
		expect(opened.signature.state).toBe('valid');
	});

	it('rotates to a key the old one certifies and still reads mail sent to the old key', async () => {
		const engine = new CryptoEngine();
		const gail = await engine.generateIdentity({
			name: 'Gail',
			address: 'gail@example.org',
			passphrase: PASSPHRASE
		});
		await engine.unlock({ lockedPrivateKey: gail.lockedPrivateKey, passphrase: PASSPHRASE });
		const toOld = await erinEngine.encryptAndSign({ text: 'old', recipientKeys: [gail.publicKey] });

		await expect(
			engine.rotateKey({ lockedPrivateKey: gail.lockedPrivateKey, passphrase: 'wrong passphrase' })
		).rejects.toThrow('does not unlock');
		const next = await engine.rotateKey({
			lockedPrivateKey: gail.lockedPrivateKey,
			passphrase: PASSPHRASE
		});
		expect(next.fingerprint).not.toBe(gail.fingerprint);
		expect(next.address).toBe('gail@example.org');
		expect(
			await erinEngine.certifiedBy({
				publicKey: next.publicKey,
				certifier: gail.publicKey,
				address: 'gail@example.org'
			})
		).toBe(true);
		// A key the old one never signed is not taken for a certified successor.
		expect(
			await erinEngine.certifiedBy({
				publicKey: erin.publicKey,
				certifier: gail.publicKey,
				address: 'erin@example.org'
			})
		).toBe(false);
		expect(
			await erinEngine.certifiedBy({
				publicKey: next.publicKey,
				certifier: erin.publicKey,
				address: 'gail@example.org'
			})
		).toBe(false);

		// After the next unlock, with the old key kept, both old and new mail open.
		const later = new CryptoEngine();
		await later.unlock({
			lockedPrivateKey: next.lockedPrivateKey,
			passphrase: PASSPHRASE,
			previousLockedKeys: [gail.lockedPrivateKey]
		});
		const toNew = await erinEngine.encryptAndSign({ text: 'new', recipientKeys: [next.publicKey] });
		for (const [message, text] of [
			[toOld, 'old'],
			[toNew, 'new']
		]) {
			const opened = await later.decryptAndVerify({
				message: message!,
				senderKeys: [erin.publicKey]
			});
			expect(opened.text).toBe(text);
		}
	});

	it('revokes: the published key can no longer be encrypted to', async () => {
		const engine = new CryptoEngine();
		const hank = await engine.generateIdentity({
			name: 'Hank',
			address: 'hank@example.org',
			passphrase: PASSPHRASE
		});
		await engine.unlock({ lockedPrivateKey: hank.lockedPrivateKey, passphrase: PASSPHRASE });
		const revoked = await engine.revokeKey({ lockedPrivateKey: hank.lockedPrivateKey });
		const info = await engine.inspectPublicKey(revoked.publicKey);
		expect(info.fingerprint).toBe(hank.fingerprint);
		expect(info.usable).toBe(false);
		await expect(
			danaEngine.encryptAndSign({ text: 'hi', recipientKeys: [revoked.publicKey] })
		).rejects.toThrow('cannot be encrypted to');
	});
});
