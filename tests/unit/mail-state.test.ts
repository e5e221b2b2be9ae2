import { describe, expect, it } from 'vitest';
import {
	StateLedger,
	decodeEntry,
	encodeEntry,
	type StampedChange
} from '../../src/lib/client/mail-state';

const inboxCopy = { copy: 'inbox' as const, id: 'm1' };
const change = (at: number, device: string, more: Partial<StampedChange>): StampedChange =>
	({ ...inboxCopy, at, device, field: 'read', value: true, ...more }) as StampedChange;

describe('mail state ledger', () => {
	it('starts from where the relay filed a copy: inbox unread, sent read', () => {
		const ledger = new StateLedger();
		expect(ledger.flags(inboxCopy)).toEqual({
			folder: 'inbox',
			read: false,
			starred: false,
			deleted: false
		});
		expect(ledger.flags({ copy: 'sent', id: 'm1' }).read).toBe(true);
	});

	it('merges per field, newest wins whatever order the changes arrive in', () => {
		const changes = [
			change(10, 'a', { field: 'folder', value: 'archive' }),
			change(20, 'b', { field: 'folder', value: 'trash' }),
			change(15, 'a', { field: 'starred', value: true }),
			change(20, 'a', { field: 'folder', value: 'inbox' })
		];
		const forwards = new StateLedger();
		forwards.apply(changes);
		const backwards = new StateLedger();
		backwards.apply([...changes].reverse());
		// Same stamp: the larger device id breaks the tie, on every device alike.
		const expected = { folder: 'trash', read: false, starred: true, deleted: false };
		expect(forwards.flags(inboxCopy)).toEqual(expected);
		expect(backwards.flags(inboxCopy)).toEqual(expected);
		expect(forwards.flags({ copy: 'sent', id: 'm1' }).folder).toBe('sent');
	});

	it('stamps a new change after everything seen, even when this device’s clock is behind', () => {
		const ledger = new StateLedger();
		ledger.apply([change(5_000, 'fast-clock', { field: 'folder', value: 'trash' })]);
		const at = ledger.nextStamp(1_000);
		ledger.apply([change(at, 'slow-clock', { field: 'folder', value: 'inbox' })]);
		expect(ledger.flags(inboxCopy).folder).toBe('inbox');
	});

	it('round-trips entries and refuses anything else', () => {
		const changes = [change(1, 'a', { field: 'deleted', value: true })];
		const rebuilt = new StateLedger();
		rebuilt.apply(decodeEntry(encodeEntry(changes)));
		expect(rebuilt.snapshot()).toEqual(changes);
		expect(() => decodeEntry('{"format":"letterlock-mail-state","v":1,"changes":[{}]}')).toThrow();
		expect(() =>
			decodeEntry(encodeEntry([change(1, 'a', { field: 'folder', value: true as never })]))
		).toThrow();
	});
});
