/** What routes/welcome/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const welcomePageStrings = {
	yourAddressIsReady:
		'Your address is ready. Keep a way back in should this browser forget it: Settings, then Backup, makes a recovery phrase or a backup file.',
	createAnAddressLetterlock: 'Create an address · Letterlock',
	alreadyHaveAnAddress: 'Already have an address?',
	signInWithYour: 'Sign in with your recovery phrase',
	restoreFromABackup: 'Restore from a backup',
	addThisBrowserFrom: 'Add this browser from another device'
};
