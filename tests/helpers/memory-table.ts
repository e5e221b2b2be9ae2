// A device table in memory, with its rows in view, for tests that read or tamper with what the
// client stored (the app's own memory fallback copies rows and hides them).
import type { Table } from '../../src/lib/client/local-db';

export function memoryTable<V extends object>(
	keyPath: keyof V
): Table<V> & { rows: Map<string, V> } {
	const rows = new Map<string, V>();
	return {
		rows,
		get: async (key) => rows.get(key),
		getAll: async () => [...rows.values()],
		put: async (value) => void rows.set(String(value[keyPath]), value),
		delete: async (key) => void rows.delete(key)
	};
}
