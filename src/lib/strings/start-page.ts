/** What routes/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const startPageStrings = {
	thisBrowserWillNot: (reason: string | number) =>
		`This browser will not let Letterlock store your key (${reason}). Private windows of some browsers do this; try a normal window.`,
	openingLetterlock: 'Opening Letterlock…'
};
