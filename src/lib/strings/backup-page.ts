/** What routes/(app)/settings/backup/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const backupPageStrings = {
	backupLetterlock: 'Backup · Letterlock',
	backupAndOtherDevices: 'Backup and other devices',
	recoveryPhrase: 'Recovery phrase',
	anotherDevice: 'Another device',
	backupFile: 'Backup file'
};
