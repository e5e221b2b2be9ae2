// The one storage implementation: the modules by concern, over the dialect of the database the
// relay was given, after bringing its schema up to date.
import { accounts } from './accounts';
import { backups } from './backups';
import { fileBlockBytes } from './block-files';
import { rowBlockBytes } from './block-rows';
import { blocks } from './blocks';
import { postgresDialect, sqliteDialect, type Dialect } from './dialect';
import { lists } from './lists';
import { mailState } from './mail-state';
import { messages } from './messages';
import { migrate } from './migrate';
import { outbound } from './outbound';
import { sessions } from './sessions';
import type { BlockBytes, Storage } from './types';

async function openWith(dialect: Dialect, blockBytes: BlockBytes): Promise<Storage> {
	try {
		await migrate(dialect);
	} catch (error) {
		await dialect.close();
		throw error;
	}
	return {
		...accounts(dialect),
		...sessions(dialect),
		...messages(dialect),
		...mailState(dialect),
		...outbound(dialect),
		...blocks(dialect),
		...lists(dialect),
		backups: backups(dialect),
		blockBytes,
		announceMailboxes: (owners) => dialect.announce(owners),
		watchMailboxes: (listener) => dialect.watch(listener),
		...(dialect.sharedCounters ? { sharedCounters: dialect.sharedCounters } : {}),
		close: () => dialect.close()
	};
}

/** The embedded default: `dataDir/letterlock.sqlite`, block bytes as files under
 * `dataDir/blocks` unless `blockBytes` replaces them (e.g. with an S3 store). */
export function openSqliteStorage(
	dataDir: string,
	options: { blockBytes?: BlockBytes } = {}
): Promise<Storage> {
	return openWith(sqliteDialect(dataDir), options.blockBytes ?? fileBlockBytes(dataDir));
}

export interface PostgresOptions {
	/** Tables live in this schema (created if missing) instead of `public`, so that test runs and
	 * relays sharing one database stay apart. */
	schema?: string;
	/** Replaces the default bytea rows for block bytes (e.g. with an S3 store). */
	blockBytes?: BlockBytes;
}

/** The shared backend, for several relay processes behind a load balancer. */
export function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<Storage> {
	const dialect = postgresDialect(url, options.schema ?? 'public');
	return openWith(dialect, options.blockBytes ?? rowBlockBytes(dialect));
}
