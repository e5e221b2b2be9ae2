import { LetterlockError, type DamagedPart, type ErrorFacts, type ErrorInit } from '../errors';
import { DECOMPRESSED_BYTES, isDecompressionBomb } from '../protocol/decompression';

type CryptoFacts = Extract<ErrorFacts, { domain: 'crypto' }>;
/** An error a person can act on: a stable kind (kept across the worker boundary) and the plain
 * parameters its sentence needs; OpenPGP's own explanation stays in `cause`. */
export class CryptoError extends LetterlockError<CryptoFacts> {
	constructor(facts: ErrorInit<'crypto'>, options: { cause?: unknown } = {}) {
		super({ domain: 'crypto', ...facts } as CryptoFacts, options);
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

/** A compression bomb stopped by DECOMPRESSED_BYTES, as the error a reader sees; null for any
 * other error, which keeps its own explanation. */
export function malformedIfBomb(error: unknown): CryptoError | null {
	if (!isDecompressionBomb(error)) return null;
	return new CryptoError(
		{
			kind: 'bad-message',
			params: { reason: 'too-large', limitMiB: DECOMPRESSED_BYTES.message / 1024 / 1024 }
		},
		{ cause: error }
	);
}

/** OpenPGP could not read `part`; its own explanation stays in `cause`. */
export function damaged(part: DamagedPart, cause: unknown): CryptoError {
	return new CryptoError({ kind: 'bad-message', params: { reason: 'damaged', part } }, { cause });
}
