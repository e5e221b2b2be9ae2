/** What routes/welcome/restore/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const welcomeRestorePageStrings = {
	restoreFromABackup: 'Restore from a backup · Letterlock',
	back: 'Back'
};
