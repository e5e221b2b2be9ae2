/** What routes/welcome/transfer/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const welcomeTransferPageStrings = {
	addThisBrowserLetterlock: 'Add this browser · Letterlock',
	back: 'Back'
};
