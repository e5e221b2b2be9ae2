/** What lib/ui/AccountMenu.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const accountMenuStrings = {
	signedInAs: 'Signed in as',
	sessions: 'Sessions',
	lock: 'Lock'
};
