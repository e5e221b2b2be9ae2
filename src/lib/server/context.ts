// What every handler can reach: storage, the relay's identity and its clock.
import type { AuthContext } from './auth';

export interface RelayContext extends AuthContext {
	domain: string;
	version: string;
	/** Operational log lines. Never pass message contents, tokens, keys or signatures. */
	log: (line: string) => void;
}
