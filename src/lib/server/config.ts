// The relay's settings, read from the environment once at start-up.
import { version } from '../../../package.json';

export interface RelayConfig {
	/** Directory for the embedded SQLite database (ignored when `databaseUrl` is set). */
	dataDir: string;
	/** The mail domain this relay hosts: accounts are `local@domain`. */
	domain: string;
	/** PostgreSQL connection string; when present it replaces the embedded database. */
	databaseUrl: string | undefined;
	/** Public origin of the relay. It is written into login challenges so that a signature made
	 * for one relay cannot be replayed at another. */
	origin: string;
	version: string;
}

export function readConfig(env: Record<string, string | undefined> = process.env): RelayConfig {
	return {
		dataDir: env.LETTERLOCK_DATA || './data',
		domain: (env.LETTERLOCK_DOMAIN || 'localhost').toLowerCase(),
		databaseUrl: env.DATABASE_URL || undefined,
		origin: new URL(env.ORIGIN || 'http://localhost:3000').origin,
		version
	};
}
