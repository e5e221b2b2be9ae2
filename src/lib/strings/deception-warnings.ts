/** What lib/ui/DeceptionWarnings.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const deceptionWarningsStrings = {
	carefulThisMessageMay: 'Careful: this message may be pretending to be something it is not.'
};
