/** What routes/(app)/mail/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const mailPageStrings = {
	notEverythingWasDeleted: (reason: string | number) => `Not everything was deleted: ${reason}`,
	letterlock: (value: string | number) => `${value} · Letterlock`,
	noMailInMatches: (value: string | number, text: string | number) =>
		`No mail in ${value} matches “${text}”.`,
	press: 'Press',
	forKeyboardShortcuts: 'for keyboard shortcuts.',
	message: 'Message',
	lookingForThisMessage: 'Looking for this message…',
	chooseAMessageTo: 'Choose a message to read it.',
	fetchingLetters: (done: number, total: number) =>
		`Fetching ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} letters`
};
