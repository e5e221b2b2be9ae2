/** What lib/ui/RecoveryPhraseSetup.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const recoveryPhraseSetupStrings = {
	askingTheRelay: 'Asking the relay…',
	makingYourRecoveryPhrase: 'Making your recovery phrase…',
	storingTheEncryptedBackup: 'Storing the encrypted backup on the relay…',
	wordDoesNotMatch: (which: string | number) =>
		`Word ${which} does not match the phrase above; check what you wrote down.`,
	deletingTheRecoveryBackup: 'Deleting the recovery backup…',
	thirteenWordsThatBring:
		'Thirteen words that bring your key and contacts back on any browser, even one that forgets everything when it closes, such as Tor Browser. The relay keeps them encrypted with the phrase and cannot read them. Anyone with the phrase and your address can read your mail: keep it on paper, somewhere safe.',
	writeTheseWordsDown: 'Write these words down, in order.',
	theyAreShownOnly: 'They are shown only this once.',
	toBeSureYou: 'To be sure you have them, type these words from your paper:',
	word: (value: string | number) => `Word ${value}`,
	iWroteItDown: 'I wrote it down: store the backup',
	cancel: 'Cancel',
	youHaveNoRecovery: 'You have no recovery phrase yet.',
	aRecoveryBackupIs: (date: string | number) =>
		`A recovery backup is on the relay, made ${date}. Making a new phrase replaces it, and the old phrase stops working.`,
	makeARecoveryPhrase: 'Make a recovery phrase',
	deleteTheRecoveryBackup: 'Delete the recovery backup'
};
