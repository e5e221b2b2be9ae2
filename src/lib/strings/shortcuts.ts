/** What lib/ui/shortcuts.ts says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const shortcutsStrings = {
	openTheNextMessage: 'Open the next message',
	openThePreviousMessage: 'Open the previous message',
	replyToTheSender: 'Reply to the sender',
	replyToEveryone: 'Reply to everyone',
	moveToTrash: 'Move to Trash',
	searchThisFolder: 'Search this folder',
	writeAMessage: 'Write a message',
	showTheseShortcuts: 'Show these shortcuts'
};
