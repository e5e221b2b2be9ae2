// The message shapes between the page and the crypto worker, and the worker's side of the
// exchange. Only plain data crosses, so structured clone can carry it and no key object ever
// reaches the page.
import { isCryptoError } from './errors';
import type { CryptoApi } from './types';

export type CryptoMethod = keyof CryptoApi;

/** The methods the worker answers; anything else posted to it is refused. */
export const CRYPTO_METHODS: readonly CryptoMethod[] = [
	'generateIdentity',
	'importIdentity',
	'unlock',
	'relockKey',
	'lock',
	'extendKey',
	'revokeKey',
	'rotateKey',
	'certifiedBy',
	'currentIdentity',
	'signLogin',
	'inspectPublicKey',
	'encryptAndSign',
	'decryptAndVerify',
	'encryptToSelf',
	'signedOriginal',
	'verifyDetached',
	'sealWithPassphrase',
	'openWithPassphrase',
	'encryptAndSignBytes',
	'decryptAndVerifyBytes',
	'encryptAttachmentBlock',
	'decryptAttachmentBlock'
];

export interface RpcRequest<M extends CryptoMethod = CryptoMethod> {
	id: number;
	method: M;
	args: Parameters<CryptoApi[M]>;
}

/** An error reduced to what survives a postMessage: CryptoError's kind and sentence. */
export interface RpcError {
	name: string;
	kind: string;
	message: string;
}

export type RpcResponse = { id: number; result: unknown } | { id: number; error: RpcError };

/** Runs one request against the engine; never throws, every failure becomes an answer. */
export async function answer(engine: CryptoApi, request: RpcRequest): Promise<RpcResponse> {
	const { id, method, args } = request;
	if (!CRYPTO_METHODS.includes(method)) {
		return {
			id,
			error: { name: 'Error', kind: 'unknown-method', message: `No such method: ${method}` }
		};
	}
	try {
		const call = engine[method] as (...input: unknown[]) => Promise<unknown>;
		return { id, result: await call.apply(engine, args) };
	} catch (error) {
		return { id, error: toRpcError(error) };
	}
}

/** Attachment blocks come back moved, not copied: the worker keeps nothing of them. */
export function transferableResult(method: CryptoMethod, response: RpcResponse): Transferable[] {
	const moves = method === 'encryptAttachmentBlock' || method === 'decryptAttachmentBlock';
	if (!moves || !('result' in response) || !(response.result instanceof Uint8Array)) return [];
	return [response.result.buffer as ArrayBuffer];
}

function toRpcError(error: unknown): RpcError {
	if (isCryptoError(error))
		return { name: 'CryptoError', kind: error.kind, message: error.message };
	// Unexpected failures keep their text so they can be reported, but get no CryptoError kind.
	const message = error instanceof Error ? error.message : String(error);
	return { name: 'Error', kind: 'internal', message };
}
