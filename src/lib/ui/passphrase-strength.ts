// A rough, offline passphrase strength estimate. It only has to steer people away from the
// guessable: length and character variety raise it, common words and patterns lower it.
import { passphraseStrengthStrings as strings } from '$lib/strings/passphrase-strength';

export type StrengthLevel = 'very-weak' | 'weak' | 'fair' | 'strong' | 'very-strong';

export interface Strength {
	level: StrengthLevel;
	/** Estimated guessing difficulty in bits. */
	bits: number;
	/** One plain sentence for the person typing. */
	advice: string;
	/** Whether a new identity may use it. */
	acceptable: boolean;
}

export const MIN_PASSPHRASE_LENGTH = 8;

/** Words and fragments that guessing tools try first. */
const COMMON = [
	'password',
	'passwort',
	'passphrase',
	'letmein',
	'welcome',
	'qwerty',
	'azerty',
	'asdf',
	'iloveyou',
	'admin',
	'login',
	'secret',
	'dragon',
	'monkey',
	'football',
	'baseball',
	'master',
	'shadow',
	'sunshine',
	'princess',
	'letterlock',
	'123456',
	'654321',
	'abc123',
	'111111',
	'000000'
];

const ADVICE: Record<StrengthLevel, string> = {
	'very-weak': strings.veryWeakThisCould,
	weak: strings.weakMakeItLonger,
	fair: strings.fairThisWillDo,
	strong: strings.strongThisWouldTake,
	'very-strong': strings.veryStrongExcellent
};

export function estimateStrength(passphrase: string): Strength {
	const bits = Math.max(0, Math.round(rawBits(passphrase) - patternPenalty(passphrase)));
	const level: StrengthLevel =
		bits < 30
			? 'very-weak'
			: bits < 45
				? 'weak'
				: bits < 60
					? 'fair'
					: bits < 80
						? 'strong'
						: 'very-strong';
	const tooShort = [...passphrase].length < MIN_PASSPHRASE_LENGTH;
	return {
		level,
		bits,
		advice: tooShort ? strings.tooShortUseAt(MIN_PASSPHRASE_LENGTH) : ADVICE[level],
		acceptable: !tooShort && level !== 'very-weak'
	};
}

/** Bits a guessing tool needs for one word from its list of common ones. */
const COMMON_WORD_BITS = 10;

/**
 * Each common word counts as one dictionary guess; every other character counts as a free
 * choice from the character classes the passphrase uses.
 */
function rawBits(passphrase: string): number {
	let pool = 0;
	if (/[a-z]/.test(passphrase)) pool += 26;
	if (/[A-Z]/.test(passphrase)) pool += 26;
	if (/[0-9]/.test(passphrase)) pool += 10;
	if (/[^a-zA-Z0-9]/.test(passphrase)) pool += 33;
	if (pool === 0) return 0;
	let rest = passphrase.toLowerCase();
	let words = 0;
	for (const word of COMMON) {
		const parts = rest.split(word);
		words += parts.length - 1;
		rest = parts.join('');
	}
	return [...rest].length * Math.log2(pool) + words * COMMON_WORD_BITS;
}

/** Bits to take away for repeats ("aaaa") and runs ("abcd", "4321"). */
function patternPenalty(passphrase: string): number {
	const lower = passphrase.toLowerCase();
	const repeats = (lower.match(/(.)\1{2,}/g) ?? []).reduce((sum, run) => sum + run.length - 1, 0);
	return (repeats + countRuns(lower)) * 4;
}

/** Characters that continue an ascending or descending run, like "abcd" or "4321". */
function countRuns(text: string): number {
	let count = 0;
	for (let index = 2; index < text.length; index++) {
		const a = text.charCodeAt(index - 2);
		const b = text.charCodeAt(index - 1);
		const c = text.charCodeAt(index);
		if ((b - a === 1 && c - b === 1) || (a - b === 1 && b - c === 1)) count++;
	}
	return count;
}
