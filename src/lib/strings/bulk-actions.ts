/** What lib/ui/BulkActions.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const bulkActionsStrings = {
	tickedMessages: 'Ticked messages',
	selectAll: 'Select all',
	selected: (picked: string | number) => `${picked} selected`,
	putBack: 'Put back',
	archive: 'Archive',
	moveToTrash: 'Move to Trash',
	markAsRead: 'Mark as read',
	markAsUnread: 'Mark as unread',
	star: 'Star',
	unstar: 'Unstar',
	emptyTrash: 'Empty trash',
	deleteInTrashFor: (value: string | number) =>
		`Delete ${value} in Trash for good? They are deleted from the relay too and cannot be brought back.`,
	deleteForGood: 'Delete for good',
	cancel: 'Cancel',
	theMessage: 'the message'
};
