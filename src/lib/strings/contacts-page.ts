/** What routes/(app)/contacts/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const contactsPageStrings = {
	isNotAnAddress: (lookup: string | number) =>
		`“${lookup}” is not an address; it looks like name@example.org.`,
	contactsLetterlock: 'Contacts · Letterlock',
	contacts: 'Contacts',
	everyoneYouWroteTo:
		'Everyone you wrote to, or whose key you looked up from their letter, with the key this device keeps for them. Compare a key with its owner to mark it verified.',
	checkSomeoneSKey: "Check someone's key",
	openTheirPage: 'Open their page',
	loading: 'Loading…',
	noContactsYetThey:
		'No contacts yet: they appear when you write to someone, or look up the key of someone who wrote to you.'
};
