import { DECOMPRESSED_BYTES, isDecompressionBomb } from '../protocol/decompression';
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

/** A compression bomb stopped by DECOMPRESSED_BYTES, as the sentence a reader sees; null for
 * any other error, which keeps its own explanation. */
export function malformedIfBomb(error: unknown): CryptoError | null {
	if (!isDecompressionBomb(error)) return null;
	return new CryptoError(
		'bad-message',
		`This letter is malformed: it would unpack to more than ${DECOMPRESSED_BYTES.message / 1024 / 1024} MiB, so it was not opened.`
	);
}
