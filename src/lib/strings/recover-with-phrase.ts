/** What lib/ui/RecoverWithPhrase.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const recoverWithPhraseStrings = {
	enterYourWholeAddress: 'Enter your whole address, like alice@example.org.',
	chooseAStrongerPassphrase: (advice: string | number) => `${advice} Choose a stronger passphrase.`,
	theTwoPassphrasesAre: 'The two passphrases are not the same.',
	fetchingAndOpeningYour: 'Fetching and opening your recovery backup…',
	signingIn: 'Signing in…',
	signInWithYour: 'Sign in with your recovery phrase',
	yourKeyAndContacts:
		'Your key and contacts come back from the relay, which keeps them encrypted with your recovery phrase. Then choose the passphrase that locks your key on this browser: your old one or a new one.',
	yourAddress: 'Your address',
	recoveryPhrase: 'Recovery phrase',
	the13WordsIn: 'The 13 words, in order. The first four letters of each are enough.',
	recoverMyAddress: 'Recover my address'
};
