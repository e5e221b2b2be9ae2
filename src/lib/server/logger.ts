// Structured logs (pino, one JSON object per line). What may appear: the method, the route
// pattern (never the raw path, which holds addresses and message ids), the status, the time taken
// and, for bugs, the error's own message and stack. Never bodies, headers, tokens, keys,
// signatures or client addresses.
import pino from 'pino';

export type Logger = pino.Logger;

/** A logger that hands each finished line to `sink` (tests collect them; the app prints them). */
export function createLogger(sink: (line: string) => void): Logger {
	return pino(
		{ base: null, timestamp: pino.stdTimeFunctions.isoTime },
		{ write: (line: string) => sink(line.trimEnd()) }
	);
}
