/** What lib/ui/MessageActions.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const messageActionsStrings = {
	thisMessage: 'This message',
	reply: 'Reply',
	replyAll: 'Reply all',
	forward: 'Forward',
	moveTo: (value: string | number) => `Move to ${value}`,
	archive: 'Archive',
	moveToTrash: 'Move to Trash',
	markAsUnread: 'Mark as unread',
	markAsRead: 'Mark as read'
};
