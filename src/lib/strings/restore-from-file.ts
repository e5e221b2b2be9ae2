/** What lib/ui/RestoreFromFile.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const restoreFromFileStrings = {
	openingTheBackup: 'Opening the backup…',
	chooseTheBackupFile: 'Choose the backup file first.',
	signingIn: 'Signing in…',
	restoreFromABackup: 'Restore from a backup',
	chooseTheBackupFile2:
		'Choose the backup file you downloaded from Letterlock\'s settings (or wrote with "letterlock backup") and enter the passphrase of the key inside.',
	backupFile: 'Backup file',
	restore: 'Restore'
};
