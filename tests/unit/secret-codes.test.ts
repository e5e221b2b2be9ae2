// Recovery phrases and device codes: enough randomness, forgiving to type, and derived values
// that are stable for the same input and unrelated otherwise.
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../src/lib/client/client-error';
import { RECOVERY_WORDS } from '../../src/lib/client/recovery-words';
import {
	RECOVERY_PHRASE_WORDS,
	deviceCodeSecrets,
	newDeviceCode,
	newRecoveryPhrase,
	readDeviceCode,
	readRecoveryPhrase,
	recoverySecrets
} from '../../src/lib/client/secret-codes';

describe('recovery phrase', () => {
	it('draws 13 words from a list of 1024 distinct words: 130 bits', () => {
		expect(new Set(RECOVERY_WORDS).size).toBe(1024);
		expect(new Set(RECOVERY_WORDS.map((word) => word.slice(0, 4))).size).toBe(1024);
		expect(RECOVERY_PHRASE_WORDS * Math.log2(RECOVERY_WORDS.length)).toBeGreaterThanOrEqual(128);
		const phrase = newRecoveryPhrase();
		expect(phrase).toHaveLength(13);
		for (const word of phrase) expect(RECOVERY_WORDS).toContain(word);
		expect(newRecoveryPhrase()).not.toEqual(phrase);
	});

	it('reads words typed whole or by their first four letters, in any case and spacing', () => {
		const phrase = newRecoveryPhrase();
		const typed = phrase.map((word, i) => (i % 2 ? word.slice(0, 4).toUpperCase() : word));
		expect(readRecoveryPhrase(`  ${typed.join(' \n ')} `)).toEqual(phrase);
	});

	it('names the word that is not in the list, and a wrong number of words', () => {
		const phrase = newRecoveryPhrase();
		expect(() => readRecoveryPhrase(phrase.slice(1).join(' '))).toThrow(
			'A recovery phrase has 13 words; this has 12.'
		);
		expect(() => readRecoveryPhrase(['qqqq', ...phrase.slice(1)].join(' '))).toThrow(
			new ClientError({ kind: 'phrase-word', params: { position: 1, word: 'qqqq' } })
		);
	});

	it('derives the same secrets for the same phrase and address, others for anything else', async () => {
		const phrase = newRecoveryPhrase();
		const secrets = await recoverySecrets('rosa@example.org', phrase);
		expect(secrets.handle).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(secrets.seal).not.toBe(secrets.handle);
		expect(await recoverySecrets('rosa@example.org', [...phrase])).toEqual(secrets);
		const elsewhere = await recoverySecrets('omar@example.org', phrase);
		expect(elsewhere.handle).not.toBe(secrets.handle);
		expect(elsewhere.seal).not.toBe(secrets.seal);
	});
});

describe('device code', () => {
	it('is 16 base32 characters in groups of four, read back however it is typed', async () => {
		const code = newDeviceCode();
		expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
		expect(readDeviceCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
		expect(await deviceCodeSecrets(code.toLowerCase())).toEqual(await deviceCodeSecrets(code));
		expect(() => readDeviceCode('ABCD-EFGH')).toThrow(ClientError);
	});
});
