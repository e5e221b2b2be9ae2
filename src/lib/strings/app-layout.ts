/** What routes/(app)/+layout.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const appLayoutStrings = {
	mail: 'Mail',
	inbox: 'Inbox',
	sent: 'Sent',
	drafts: 'Drafts',
	archive: 'Archive',
	trash: 'Trash',
	contacts: 'Contacts',
	settings: 'Settings',
	writeAMessage: 'Write a message'
};
