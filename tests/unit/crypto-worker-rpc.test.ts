// The worker boundary, without a browser: WorkerCrypto talks to the real request handler over
// a stand-in Worker that structured-clones every message, as postMessage does.
import { describe, expect, it } from 'vitest';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { CryptoError } from '../../src/lib/crypto/errors';
import { answer, type RpcRequest } from '../../src/lib/crypto/rpc';
import { WorkerCrypto } from '../../src/lib/crypto/worker-client';

class InProcessWorker extends EventTarget {
	readonly #engine = new CryptoEngine();

	postMessage(request: RpcRequest): void {
		void answer(this.#engine, structuredClone(request)).then((response) =>
			this.dispatchEvent(new MessageEvent('message', { data: structuredClone(response) }))
		);
	}

	terminate(): void {}
}

function workerCrypto(): WorkerCrypto {
	return new WorkerCrypto(new InProcessWorker() as unknown as Worker);
}

describe('crypto worker RPC', () => {
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
	});

	it('refuses methods that are not part of the API', async () => {
		const response = await answer(new CryptoEngine(), {
			id: 7,
			method: 'constructor' as never,
			args: [] as never
		});
		expect(response).toEqual({
			id: 7,
			error: { name: 'Error', kind: 'unknown-method', message: 'No such method: constructor' }
		});
	});
});
