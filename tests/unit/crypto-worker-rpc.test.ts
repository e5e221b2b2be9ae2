// The worker boundary, without a browser: the worker's side (serveCrypto over a real engine)
// on one port of a real MessageChannel, the page's side (connectCrypto) on the other, so every
// call is structured-cloned or transferred exactly as postMessage to a Web Worker does.
import { wrap } from 'comlink';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
	CRYPTO_METHODS,
	connectCrypto,
	exposedApi,
	serveCrypto
} from '../../src/lib/crypto/boundary';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { CryptoError } from '../../src/lib/crypto/errors';
import type { CryptoApi } from '../../src/lib/crypto/types';

const channels: MessageChannel[] = [];

afterEach(() => {
	for (const channel of channels.splice(0)) {
		channel.port1.close();
		channel.port2.close();
	}
});

function crossing(): { page: MessagePort; worker: MessagePort } {
	const channel = new MessageChannel();
	channels.push(channel);
	return { page: channel.port2, worker: channel.port1 };
}

function workerCrypto(): CryptoApi {
	const { page, worker } = crossing();
	serveCrypto(new CryptoEngine(), worker);
	return connectCrypto(page, new AbortController().signal);
}

describe('crypto worker boundary', () => {
	it('round-trips a message between two identities', async () => {
		const alice = workerCrypto();
		const bob = workerCrypto();
		const aliceKey = await alice.generateIdentity({
			name: 'Alice',
			address: 'alice@example.org',
			passphrase: 'correct horse battery'
		});
		const bobKey = await bob.generateIdentity({
			name: 'Bob',
			address: 'bob@example.org',
			passphrase: 'staple lantern harbour'
		});
		await alice.unlock({
			lockedPrivateKey: aliceKey.lockedPrivateKey,
			passphrase: 'correct horse battery'
		});
		await bob.unlock({
			lockedPrivateKey: bobKey.lockedPrivateKey,
			passphrase: 'staple lantern harbour'
		});
		expect(await bob.currentIdentity()).toMatchObject({ fingerprint: bobKey.fingerprint });

		const message = await alice.encryptAndSign({
			text: 'hello',
			recipientKeys: [bobKey.publicKey]
		});
		const opened = await bob.decryptAndVerify({ message, senderKeys: [aliceKey.publicKey] });
		expect(opened.text).toBe('hello');
		expect(opened.signature).toMatchObject({ state: 'valid', signer: aliceKey.fingerprint });
	});

	it('rethrows engine failures as CryptoError with their kind and sentence', async () => {
		const crypto = workerCrypto();
		const identity = await crypto.generateIdentity({
			name: 'Carol',
			address: 'carol@example.org',
			passphrase: 'right passphrase here'
		});
		const failure = await crypto
			.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase: 'wrong passphrase' })
			.catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(CryptoError);
		expect(failure).toMatchObject({ kind: 'wrong-passphrase' });
		expect((failure as Error).message).toMatch(/^That passphrase does not unlock this key/);

		await expect(crypto.signLogin('challenge')).rejects.toMatchObject({ kind: 'locked' });
		const block = crypto.decryptAttachmentBlock({
			block: new Uint8Array(64),
			key: new Uint8Array(32)
		});
		await expect(block).rejects.toBeInstanceOf(CryptoError);
		await expect(block).rejects.toMatchObject({ kind: 'bad-message' });
	});

	it('moves attachment blocks across instead of copying them, both ways', async () => {
		const { page, worker } = crossing();
		const workerSends = vi.spyOn(worker, 'postMessage');
		serveCrypto(new CryptoEngine(), worker);
		const crypto = connectCrypto(page, new AbortController().signal);
		const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
		const plain = new TextEncoder().encode('one block of an attachment');

		const block = await crypto.encryptAttachmentBlock({ plain, key });
		expect(plain.byteLength).toBe(0);
		expect(key.byteLength).toBe(32);
		const opened = await crypto.decryptAttachmentBlock({ block, key });
		expect(block.byteLength).toBe(0);
		expect(new TextDecoder().decode(opened)).toBe('one block of an attachment');

		const moved = workerSends.mock.calls.map(([, transfer]) => (transfer as Transferable[]).length);
		expect(moved).toEqual([1, 1]);
	});

	it('fails a waiting call when the worker stops, instead of leaving it hanging', async () => {
		const { page } = crossing();
		const crashed = new AbortController();
		const waiting = connectCrypto(page, crashed.signal).currentIdentity();
		crashed.abort(new Error('The encryption engine stopped working.'));
		await expect(waiting).rejects.toThrow('The encryption engine stopped working.');
	});

	it('exposes exactly the allow-listed methods, and no test seam of the engine', async () => {
		expectTypeOf<keyof typeof CRYPTO_METHODS>().toEqualTypeOf<keyof CryptoApi>();
		const engine = new CryptoEngine();
		expect(Object.keys(exposedApi(engine)).sort()).toEqual(Object.keys(CRYPTO_METHODS).sort());
		expect(typeof engine.heldKeys).toBe('function');

		const { page, worker } = crossing();
		serveCrypto(engine, worker);
		const remote = wrap<Record<string, () => Promise<unknown>>>(page);
		// Nothing by those names exists on the exposed object, so the worker has nothing to call.
		const nothingThere = /Cannot read properties of undefined/;
		await expect(remote.heldKeys!()).rejects.toThrow(nothingThere);
		await expect(remote.constructor!()).rejects.toThrow(nothingThere);
	});
});
