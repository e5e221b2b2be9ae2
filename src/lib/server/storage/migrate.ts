// Brings the database to the newest schema in one transaction: the version is read under the
// write lock (IMMEDIATE in SQLite, an advisory lock in PostgreSQL), so two relay processes opening
// a new database at once cannot both run step 1.
import { sql } from 'kysely';
import type { Dialect } from './dialect';
import { migrations, statements } from './schema';

export async function migrate(dialect: Dialect): Promise<void> {
	const steps = migrations(dialect.types);
	await dialect.write(async (tx) => {
		const current = await dialect.version(tx);
		if (current > steps.length) {
			throw new Error(
				`The database was written by a newer Letterlock (schema ${current}); upgrade this relay.`
			);
		}
		if (current === steps.length) return;
		for (const step of steps.slice(current)) {
			for (const statement of statements(step)) await sql.raw(statement).execute(tx);
		}
		await dialect.setVersion(tx, steps.length);
	});
}
