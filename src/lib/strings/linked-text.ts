/** What lib/ui/LinkedText.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const linkedTextStrings = {
	openThisLink: 'Open this link?',
	thisLinkGoesTo: 'This link goes to',
	openLink: 'Open link',
	cancel: 'Cancel'
};
