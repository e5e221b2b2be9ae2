import { describe, expect, it } from 'vitest';
import { safetyNumber } from '../../src/lib/client/safety-number';
import { ContactBook, memoryContactStore, normaliseFingerprint } from '../../src/lib/client/trust';

const A = 'A'.repeat(40);
const B = 'B'.repeat(40);
const key = (fingerprint: string, usable = true) => ({
	fingerprint,
	publicKey: `key ${fingerprint}`,
	usable
});

describe('trust on first use', () => {
	it('keeps the name given to a contact, also when its key is verified later', async () => {
		const book = new ContactBook(memoryContactStore());
		await expect(book.rename('bob@x.org', 'Bob')).rejects.toThrow(/not among your contacts/);
		await book.assess('bob@x.org', [key(A)]);
		expect((await book.rename('bob@x.org', '  Bob Builder ')).name).toBe('Bob Builder');
		await book.verify('bob@x.org', A, [key(A)]);
		expect(await book.get('bob@x.org')).toMatchObject({ name: 'Bob Builder', verified: true });
		expect((await book.rename('bob@x.org', ' ')).name).toBeUndefined();
	});

	it('pins the first key and calls it unverified', async () => {
		const book = new ContactBook(memoryContactStore());
		const first = await book.assess('bob@x.org', [key(A)]);
		expect(first.trust).toBe('unverified');
		expect(first.key?.fingerprint).toBe(A);
		expect((await book.get('bob@x.org'))?.fingerprint).toBe(A);
	});

	it('reports a different served key as changed and offers no key', async () => {
		const book = new ContactBook(memoryContactStore());
		await book.assess('bob@x.org', [key(A)]);
		const later = await book.assess('bob@x.org', [key(B)]);
		expect(later.trust).toBe('changed');
		expect(later.key).toBeNull();
		expect(later.pinned?.fingerprint).toBe(A);
	});

	it('never picks a key from a conflict, even for a first contact', async () => {
		const book = new ContactBook(memoryContactStore());
		const answer = await book.assess('bob@x.org', [key(A), key(B)]);
		expect(answer.trust).toBe('conflict');
		expect(answer.key).toBeNull();
		expect(await book.get('bob@x.org')).toBeUndefined();
	});

	it('uses a conflicting key only after the user verified it', async () => {
		const book = new ContactBook(memoryContactStore());
		await book.verify('bob@x.org', B.toLowerCase().replace(/(.{4})/g, '$1 '), [key(A), key(B)]);
		const answer = await book.assess('bob@x.org', [key(A), key(B)]);
		expect(answer.trust).toBe('verified');
		expect(answer.key?.fingerprint).toBe(B);
	});

	it('verifies a changed key by its new fingerprint, and refuses a mismatch', async () => {
		const book = new ContactBook(memoryContactStore());
		await book.assess('bob@x.org', [key(A)]);
		await expect(book.verify('bob@x.org', 'C'.repeat(40), [key(B)])).rejects.toThrow(
			/does not match any key/
		);
		expect((await book.assess('bob@x.org', [key(B)])).trust).toBe('changed');
		await book.verify('bob@x.org', B, [key(B)]);
		expect((await book.assess('bob@x.org', [key(B)])).trust).toBe('verified');
	});

	it('marks a revoked or expired key and offers no key', async () => {
		const book = new ContactBook(memoryContactStore());
		await book.verify('bob@x.org', A, [key(A)]);
		const answer = await book.assess('bob@x.org', [key(A, false)]);
		expect(answer.trust).toBe('revoked');
		expect(answer.key).toBeNull();
	});

	it('accepts fingerprints with spaces, colons and lower case only', () => {
		expect(normaliseFingerprint(`${'ab:cd '.repeat(10)}`)).toBe('ABCD'.repeat(10));
		expect(normaliseFingerprint('not a fingerprint')).toBeNull();
	});
});

describe('safety number', () => {
	it('is the same on both sides and differs for another key', async () => {
		const mine = await safetyNumber(A, B);
		expect(mine).toMatch(/^\d{5}( \d{5}){5}$/);
		expect(await safetyNumber(B, A)).toBe(mine);
		expect(await safetyNumber(A, 'C'.repeat(40))).not.toBe(mine);
	});
});
