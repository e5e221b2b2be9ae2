// Small builders for the records the contract suite stores, so that each test names only what it
// is about.
import type { AccountRecord, NewMessage } from '../../src/lib/server/storage/types';

/** A fixed clock: the contract passes time in, so expiry is tested without waiting. */
export const T0 = Date.parse('2026-01-01T00:00:00.000Z');
export const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

export function account(address: string, fingerprint = `fp-${address}`): AccountRecord {
	return {
		address,
		fingerprint,
		publicKey: `key of ${address} (${fingerprint})`,
		createdAt: at(0)
	};
}

export function letter(id: string, fields: Partial<NewMessage> = {}): NewMessage {
	const armored = fields.armored ?? `ciphertext of ${id}`;
	return {
		id,
		sender: 'alice@localhost',
		recipients: ['bob@localhost'],
		armored,
		size: armored.length,
		createdAt: at(0),
		...fields
	};
}
