/** What routes/unlock/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const unlockPageStrings = {
	unlockLetterlock: 'Unlock · Letterlock'
};
