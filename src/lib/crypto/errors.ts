import type { CryptoErrorKind } from './types';

/** An error a person can act on: a stable kind for code, a plain sentence for the screen. */
export class CryptoError extends Error {
	constructor(
		readonly kind: CryptoErrorKind,
		message: string
	) {
		super(message);
		this.name = 'CryptoError';
	}
}

export function isCryptoError(error: unknown): error is CryptoError {
	return (
		error instanceof CryptoError ||
		(typeof error === 'object' &&
			error !== null &&
			(error as { name?: unknown }).name === 'CryptoError')
	);
}
