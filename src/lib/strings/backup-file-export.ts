/** What lib/ui/BackupFileExport.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const backupFileExportStrings = {
	encryptingTheBackup: 'Encrypting the backup…',
	theBackupFileIs: 'The backup file is downloaded. Keep it somewhere safe, away from this device.',
	oneFileWithYour:
		'One file with your key and your contacts, encrypted with your passphrase. Open it with "Restore from a backup" on another browser. Without your passphrase it is of no use to anyone.',
	downloadABackupFile: 'Download a backup file'
};
