// The boundary between the page and the crypto worker, carried by comlink. Only plain data
// crosses, so structured clone can carry it and no key object ever reaches the page; the worker
// exposes an object made from the allow-list below, never the engine itself, so test seams
// such as `heldKeys()` stay out of the page's reach.
import { expose, transfer, transferHandlers, wrap, type Endpoint } from 'comlink';
import type { ErrorInit } from '../errors';
import { CryptoError, isCryptoError } from './errors';
import type { CryptoApi, CryptoErrorKind } from './types';

export type CryptoMethod = keyof CryptoApi;

type Input<M extends CryptoMethod> = Parameters<CryptoApi[M]>[0];
type BytesField<T> = T extends object
	? { [F in keyof T]-?: T[F] extends Uint8Array ? F : never }[keyof T]
	: never;
/** A method whose named input bytes move to the worker and whose resulting bytes move back. */
type Moves<M extends CryptoMethod> =
	Awaited<ReturnType<CryptoApi[M]>> extends Uint8Array ? { moves: BytesField<Input<M>> } : never;

/** Every method the page may call, and how its bytes cross: copied by structured clone, or
 * moved (the sender's buffer is detached, not copied), which is what keeps page memory flat
 * with 8 MiB attachment blocks a few at a time. The file key of a block stays copied: the next
 * block needs it. `satisfies` makes a CryptoApi method missing here, or an entry that is not
 * one, a type error. */
export const CRYPTO_METHODS = {
	generateIdentity: 'copy',
	importIdentity: 'copy',
	unlock: 'copy',
	relockKey: 'copy',
	lock: 'copy',
	extendKey: 'copy',
	revokeKey: 'copy',
	rotateKey: 'copy',
	certifiedBy: 'copy',
	currentIdentity: 'copy',
	signLogin: 'copy',
	inspectPublicKey: 'copy',
	encryptAndSign: 'copy',
	decryptAndVerify: 'copy',
	encryptToSelf: 'copy',
	signedOriginal: 'copy',
	verifyDetached: 'copy',
	sealWithPassphrase: 'copy',
	openWithPassphrase: 'copy',
	encryptAndSignBytes: 'copy',
	decryptAndVerifyBytes: 'copy',
	encryptAttachmentBlock: { moves: 'plain' },
	decryptAttachmentBlock: { moves: 'block' }
} satisfies { [M in CryptoMethod]: 'copy' | Moves<M> };

type AnyCall = (...args: unknown[]) => Promise<unknown>;
type Crossing = 'copy' | { moves: string };
const crossings = Object.entries(CRYPTO_METHODS) as [CryptoMethod, Crossing][];

/** What the worker exposes: exactly the allow-listed methods as closures over the engine, on a
 * frozen object without a prototype, so nothing else (not even `constructor`) can be called or
 * replaced from the page. */
export function exposedApi(engine: CryptoApi): CryptoApi {
	const api: Record<string, AnyCall> = Object.create(null);
	for (const [method, crossing] of crossings) {
		const call = engine[method].bind(engine) as AnyCall;
		api[method] = async (...args) => {
			const result = await call(...args);
			return crossing === 'copy' ? result : transfer(result, [(result as Uint8Array).buffer]);
		};
	}
	return Object.freeze(api) as unknown as CryptoApi;
}

/** The worker's side: answers the page over `endpoint` (the worker's global scope). */
export function serveCrypto(engine: CryptoApi, endpoint: Endpoint): void {
	expose(exposedApi(engine), endpoint);
}

/** The page's side: a CryptoApi whose every call is a message over `endpoint`. A call still
 * waiting when `stopped` aborts (the worker crashed) rejects with its reason. */
export function connectCrypto(endpoint: Endpoint, stopped: AbortSignal): CryptoApi {
	const remote = wrap<Record<CryptoMethod, AnyCall>>(endpoint);
	const api: Record<string, AnyCall> = {};
	for (const [method, crossing] of crossings) {
		api[method] = (...args) => {
			const sent = crossing === 'copy' ? args : args.map((input) => moving(input, crossing.moves));
			return untilStopped(remote[method](...sent), stopped);
		};
	}
	return api as unknown as CryptoApi;
}

function untilStopped<T>(answer: Promise<T>, stopped: AbortSignal): Promise<T> {
	if (stopped.aborted) return Promise.reject(stopped.reason);
	return new Promise<T>((resolve, reject) => {
		const stop = () => reject(stopped.reason);
		stopped.addEventListener('abort', stop, { once: true });
		answer.then(resolve, reject).finally(() => stopped.removeEventListener('abort', stop));
	});
}

function moving(input: unknown, field: string): unknown {
	const bytes = (input as Record<string, Uint8Array>)[field]!;
	return transfer(input, [bytes.buffer as ArrayBuffer]);
}

const CRYPTO_ERROR_KINDS = {
	locked: true,
	'wrong-passphrase': true,
	'bad-key': true,
	'bad-message': true,
	'not-for-you': true,
	'unusable-recipient-key': true,
	'not-a-challenge': true
} satisfies Record<CryptoErrorKind, true>;

interface ThrownCryptoError {
	cryptoError: { kind: string; params: unknown };
}

function isThrownCryptoError(value: unknown): value is ThrownCryptoError {
	return typeof value === 'object' && value !== null && 'cryptoError' in value;
}

// comlink carries every thrown value through its 'throw' handler, which keeps only an Error's
// name and message. Both sides load this module, so both replace it with one that keeps a
// CryptoError's kind and parameters (plain data) and rebuilds it as a CryptoError in the page,
// whose sentence is then made there, in the page's language; other errors go on as before.
const thrown = transferHandlers.get('throw')!;
transferHandlers.set('throw', {
	canHandle: thrown.canHandle,
	serialize(wrapped) {
		const { value } = wrapped as { value: unknown };
		if (!isCryptoError(value)) return thrown.serialize(wrapped);
		const cryptoError = { kind: value.kind, params: value.params };
		return [{ cryptoError } satisfies ThrownCryptoError, []];
	},
	deserialize(serialized) {
		if (!isThrownCryptoError(serialized)) return thrown.deserialize(serialized);
		const { kind, params } = serialized.cryptoError;
		if (Object.hasOwn(CRYPTO_ERROR_KINDS, kind))
			throw new CryptoError({ kind, params } as ErrorInit<'crypto'>);
		throw new Error(`The encryption engine failed (${kind}).`);
	}
});
