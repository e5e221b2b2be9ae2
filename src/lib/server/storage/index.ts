// Picks the storage backend from the configuration: PostgreSQL when a URL is given, else the
// embedded SQLite file in the data directory.
import type { RelayConfig } from '../config';
import { openPostgresStorage } from './postgres';
import { openSqliteStorage } from './sqlite';
import type { Storage } from './types';

export async function openStorage(config: RelayConfig): Promise<Storage> {
	return config.databaseUrl
		? openPostgresStorage(config.databaseUrl, { schema: config.databaseSchema })
		: openSqliteStorage(config.dataDir);
}

export type * from './types';
export { openPostgresStorage, openSqliteStorage };
