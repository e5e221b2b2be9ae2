/** What lib/ui/passphrase-strength.ts says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const passphraseStrengthStrings = {
	veryWeakThisCould:
		'Very weak: this could be guessed in moments. Try four or more unrelated words.',
	weakMakeItLonger: 'Weak: make it longer, for example by adding another unusual word.',
	fairThisWillDo: 'Fair: this will do, but a few more words would make it much stronger.',
	strongThisWouldTake: 'Strong: this would take a very long time to guess.',
	veryStrongExcellent: 'Very strong: excellent.',
	tooShortUseAt: (MIN_PASSPHRASE_LENGTH: string | number) =>
		`Too short: use at least ${MIN_PASSPHRASE_LENGTH} characters, ideally a few unrelated words.`
};
