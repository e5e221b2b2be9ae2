/** What the mail search field says. A translation replaces these values, never the keys. */
export const searchText = {
	label: 'Search mail on this device',
	placeholder: 'Search mail: sender, subject, words, file names (press / to come here)'
};
