// The page's side of the crypto worker: a CryptoApi whose every call is a message to
// worker.ts, so OpenPGP and the unlocked key stay off the main thread and out of the page.
import { CryptoError } from './errors';
import type { CryptoMethod, RpcError, RpcRequest, RpcResponse } from './rpc';
import type {
	CryptoApi,
	CryptoErrorKind,
	DecryptedBytes,
	DecryptedText,
	GeneratedIdentity,
	IdentityInfo,
	KeyInfo,
	KeyUpdate,
	SignatureCheck,
	SignedText
} from './types';

interface Pending {
	resolve: (value: unknown) => void;
	reject: (error: Error) => void;
}

const CRYPTO_ERROR_KINDS: readonly string[] = [
	'locked',
	'wrong-passphrase',
	'bad-key',
	'bad-message',
	'not-for-you',
	'unusable-recipient-key'
] satisfies CryptoErrorKind[];

export class WorkerCrypto implements CryptoApi {
	readonly #worker: Worker;
	readonly #pending = new Map<number, Pending>();
	#nextId = 1;

	constructor(
		worker: Worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })
	) {
		this.#worker = worker;
		this.#worker.addEventListener('message', (event: MessageEvent<RpcResponse>) =>
			this.#settle(event.data)
		);
		// A worker that fails to load or crashes would otherwise leave every call hanging.
		this.#worker.addEventListener('error', () =>
			this.#failAll('The encryption engine stopped working. Reload the page to start it again.')
		);
	}

	generateIdentity(input: {
		name: string;
		address: string;
		passphrase: string;
	}): Promise<GeneratedIdentity> {
		return this.#call('generateIdentity', [input]);
	}

	importIdentity(input: {
		armoredSecretKey: string;
		passphrase: string;
		address: string;
	}): Promise<GeneratedIdentity> {
		return this.#call('importIdentity', [input]);
	}

	unlock(input: {
		lockedPrivateKey: string;
		passphrase: string;
		previousLockedKeys?: string[];
	}): Promise<IdentityInfo> {
		return this.#call('unlock', [input]);
	}

	relockKey(input: {
		lockedPrivateKey: string;
		passphrase: string;
		newPassphrase: string;
	}): Promise<string> {
		return this.#call('relockKey', [input]);
	}

	extendKey(input: { lockedPrivateKey: string }): Promise<KeyUpdate> {
		return this.#call('extendKey', [input]);
	}

	revokeKey(input: { lockedPrivateKey: string }): Promise<KeyUpdate> {
		return this.#call('revokeKey', [input]);
	}

	rotateKey(input: { lockedPrivateKey: string; passphrase: string }): Promise<GeneratedIdentity> {
		return this.#call('rotateKey', [input]);
	}

	certifiedBy(input: { publicKey: string; certifier: string; address: string }): Promise<boolean> {
		return this.#call('certifiedBy', [input]);
	}

	lock(): Promise<void> {
		return this.#call('lock', []);
	}

	currentIdentity(): Promise<IdentityInfo | null> {
		return this.#call('currentIdentity', []);
	}

	signLogin(challenge: string): Promise<string> {
		return this.#call('signLogin', [challenge]);
	}

	inspectPublicKey(armoredPublicKey: string): Promise<KeyInfo> {
		return this.#call('inspectPublicKey', [armoredPublicKey]);
	}

	encryptAndSign(input: { text: string; recipientKeys: string[] }): Promise<string> {
		return this.#call('encryptAndSign', [input]);
	}

	decryptAndVerify(input: { message: string; senderKeys: string[] }): Promise<DecryptedText> {
		return this.#call('decryptAndVerify', [input]);
	}

	encryptToSelf(text: string): Promise<string> {
		return this.#call('encryptToSelf', [text]);
	}

	signedOriginal(input: { message: string }): Promise<SignedText> {
		return this.#call('signedOriginal', [input]);
	}

	verifyDetached(input: SignedText & { senderKeys: string[] }): Promise<SignatureCheck> {
		return this.#call('verifyDetached', [input]);
	}

	sealWithPassphrase(input: { text: string; passphrase: string }): Promise<string> {
		return this.#call('sealWithPassphrase', [input]);
	}

	openWithPassphrase(input: { message: string; passphrase: string }): Promise<string> {
		return this.#call('openWithPassphrase', [input]);
	}

	encryptAndSignBytes(input: { data: Uint8Array; recipientKeys: string[] }): Promise<Uint8Array> {
		return this.#call('encryptAndSignBytes', [input]);
	}

	decryptAndVerifyBytes(input: {
		message: Uint8Array;
		senderKeys: string[];
	}): Promise<DecryptedBytes> {
		return this.#call('decryptAndVerifyBytes', [input]);
	}

	/** The block's bytes move to the worker (their buffer is detached here, not copied): with
	 * 8 MiB blocks a few at a time, copies are what page memory is made of. */
	encryptAttachmentBlock(input: { plain: Uint8Array; key: Uint8Array }): Promise<Uint8Array> {
		return this.#call('encryptAttachmentBlock', [input], [input.plain.buffer]);
	}

	/** As for encryption, the block's buffer moves to the worker. */
	decryptAttachmentBlock(input: { block: Uint8Array; key: Uint8Array }): Promise<Uint8Array> {
		return this.#call('decryptAttachmentBlock', [input], [input.block.buffer]);
	}

	/** Stops the worker; the unlocked key dies with it. */
	terminate(): void {
		this.#worker.terminate();
		this.#failAll('The encryption engine was stopped.');
	}

	#call<M extends CryptoMethod, R>(
		method: M,
		args: RpcRequest<M>['args'],
		transfer: ArrayBufferLike[] = []
	): Promise<R> {
		const id = this.#nextId++;
		return new Promise<R>((resolve, reject) => {
			this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
			this.#worker.postMessage({ id, method, args } satisfies RpcRequest<M>, {
				transfer: transfer as Transferable[]
			});
		});
	}

	#settle(response: RpcResponse): void {
		const pending = this.#pending.get(response.id);
		if (!pending) return;
		this.#pending.delete(response.id);
		if ('error' in response) pending.reject(toError(response.error));
		else pending.resolve(response.result);
	}

	#failAll(message: string): void {
		for (const pending of this.#pending.values()) pending.reject(new Error(message));
		this.#pending.clear();
	}
}

function toError(error: RpcError): Error {
	if (error.name === 'CryptoError' && CRYPTO_ERROR_KINDS.includes(error.kind)) {
		return new CryptoError(error.kind as CryptoErrorKind, error.message);
	}
	return new Error(error.message);
}
