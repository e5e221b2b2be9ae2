/** What lib/ui/AttachmentList.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const attachmentListStrings = {
	attachments: 'Attachments',
	saysItIs: (size: string | number, type: string | number) => `(${size}, says it is ${type})`,
	tryAgain: 'Try again',
	savedEveryBlockChecked: 'Saved, every block checked.',
	letterlockListsAttachmentsBut:
		'Letterlock lists attachments but never opens them inside the page; what a file claims to be is not checked.'
};
