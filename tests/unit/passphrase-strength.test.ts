import { describe, expect, it } from 'vitest';
import { estimateStrength } from '../../src/lib/ui/passphrase-strength';

describe('passphrase strength', () => {
	it.each(['abc', 'sh0rt!', 'password', 'Password1!', 'letmein12', '12345678', 'aaaaaaaaaaaa'])(
		'refuses %s',
		(passphrase) => {
			expect(estimateStrength(passphrase).acceptable).toBe(false);
		}
	);

	it.each(['quiet harbour lantern 42', 'correct horse battery staple', 'blue-Kettle-91'])(
		'accepts %s',
		(passphrase) => {
			const strength = estimateStrength(passphrase);
			expect(strength.acceptable).toBe(true);
			expect(['strong', 'very-strong']).toContain(strength.level);
		}
	);

	it('says why a short passphrase is refused', () => {
		expect(estimateStrength('abc').advice).toMatch(/at least 8 characters/);
	});

	it('counts a common word as one guess, not as its letters', () => {
		expect(estimateStrength('sunshine').bits).toBeLessThan(estimateStrength('snuhsien').bits);
	});
});
