/** What lib/ui/MessageList.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const messageListStrings = {
	noMailYetNew: 'No mail yet. New messages appear here by themselves.',
	nothingSentYet: 'Nothing sent yet.',
	noDrafts: 'No drafts.',
	nothingArchivedArchiveA: 'Nothing archived. Archive a message to keep it out of the Inbox.',
	trashIsEmpty: 'Trash is empty.',
	noSubject: '(no subject)',
	aMessageStillDecrypting: 'a message still decrypting',
	cannotBeOpened: 'Cannot be opened',
	decrypting: 'Decrypting…',
	from: 'From',
	to: 'To',
	unread: 'Unread',
	imported: 'Imported',
	conversationOfMessages: (count: string | number) => `Conversation of ${count} messages`
};
