// Queries compiled once. Kysely builds and compiles a query on every call, which costs about as
// much as SQLite takes to run it; a send runs the same few statements every time, so those are
// compiled once with placeholders and each call only binds its values.
import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Db } from './dialect';

/** Stands for the call's argument `index` while the query is compiled. */
class Slot {
	constructor(readonly index: number) {}
}

/** `build` must make the same SQL whatever the values: it may only pass its arguments on as
 * values, never branch on them. */
export function prepared<A extends unknown[], R>(
	db: Db,
	arity: A['length'],
	build: (db: Db, ...args: A) => Compilable<R>
): (tx: Db, ...args: A) => Promise<QueryResult<R>> {
	const slots = Array.from({ length: arity }, (_, index) => new Slot(index));
	const compiled = build(db, ...(slots as unknown as A)).compile();
	const binding = compiled.parameters.map((value) => (value instanceof Slot ? value.index : -1));
	if (slots.some((slot) => !binding.includes(slot.index))) {
		throw new Error(`A prepared query does not use all of its ${arity} arguments.`);
	}
	return (tx, ...args) =>
		tx.executeQuery(
			CompiledQuery.raw(
				compiled.sql,
				binding.map((index, at) => (index < 0 ? compiled.parameters[at] : args[index]))
			) as CompiledQuery<R>
		);
}
