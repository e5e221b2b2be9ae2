/** What lib/ui/DraftsFolder.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const draftsFolderStrings = {
	openingYourDraft: 'Opening your draft…',
	noDraftsWhatYou: 'No drafts. What you start writing is kept here, encrypted, until you send it.',
	drafts: 'Drafts',
	noSubject: '(no subject)',
	to: (value: string | number) => `To ${value}`,
	nobodyYet: '(nobody yet)'
};
