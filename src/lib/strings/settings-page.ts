/** What routes/(app)/settings/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const settingsPageStrings = {
	theBrowserAgreedTo: 'The browser agreed to keep Letterlock’s data.',
	theBrowserSaidNo:
		'The browser said no for now. Installing Letterlock or bookmarking it makes a yes more likely.',
	settingsLetterlock: 'Settings · Letterlock',
	settings: 'Settings',
	backupAndOtherDevices: 'Backup and other devices',
	backup: 'Backup',
	aBackupFileA: ': a backup file, a recovery phrase, or your address on another device.',
	storageOnThisDevice: 'Storage on this device',
	nothingIsStoredOn:
		'Nothing is stored on this device: this browser refused storage, so everything is lost when the tab closes.',
	thisBrowserDoesNot: 'This browser does not say whether it keeps data.',
	persistentTheBrowserWill:
		'Persistent: the browser will not delete your key, drafts or outbox to free space.',
	notPersistentTheBrowser:
		'Not persistent: the browser may delete Letterlock’s data when the disk runs low. Keep a backup of your key.',
	askTheBrowserTo: 'Ask the browser to keep it',
	usingOfThisBrowser: (size: string | number, size2: string | number) =>
		`Using ${size} of ${size2} this browser allows.`,
	app: 'App',
	worksOfflineThisBrowser:
		'Works offline: this browser keeps the app and sends queued mail in the background.',
	thisBrowserCannotRun:
		'This browser cannot run Letterlock offline or send in the background; queued mail is sent while a Letterlock tab is open.',
	checkingWhetherThisBrowser: 'Checking whether this browser can run Letterlock offline…',
	installLetterlock: 'Install Letterlock',
	signedInAs: (address: string | number) => `Signed in as ${address}.`
};
