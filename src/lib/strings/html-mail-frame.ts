/** What lib/ui/HtmlMailFrame.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const htmlMailFrameStrings = {
	preparingTheFormattedMessage: 'Preparing the formatted message…',
	formattedHtmlMessageShown:
		'Formatted (HTML) message, shown without scripts, styles or remote content',
	remoteImageBlockedSo: (blockedImages: string | number, value: string | number) =>
		`; ${blockedImages} remote image${value} blocked so the sender cannot tell you opened it`,
	formattedMessage: 'Formatted message',
	linksInThisMessage: 'Links in this message',
	thisFormattedMessageCould: 'This formatted message could not be prepared for safe display.',
	sWere: 's were'
};
