// Picks the storage backend from the configuration: PostgreSQL when a URL is given, else the
// embedded SQLite file in the data directory; attachment blocks in an S3-compatible store when
// one is configured, else beside the database.
import type { RelayConfig } from '../config';
import { s3BlockBytes } from './block-s3';
import { openPostgresStorage, openSqliteStorage } from './open';
import type { Storage } from './types';

export async function openStorage(config: RelayConfig): Promise<Storage> {
	const blockBytes = config.s3BlockStore && s3BlockBytes(config.s3BlockStore);
	return config.databaseUrl
		? openPostgresStorage(config.databaseUrl, { schema: config.databaseSchema, blockBytes })
		: openSqliteStorage(config.dataDir, { blockBytes });
}

export type * from './types';
export { openPostgresStorage, openSqliteStorage };
