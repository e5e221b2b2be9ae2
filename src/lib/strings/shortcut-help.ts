/** What lib/ui/ShortcutHelp.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const shortcutHelpStrings = {
	keyboardShortcuts: 'Keyboard shortcuts',
	theyWorkWheneverYou: 'They work whenever you are not typing in a field.',
	key: 'Key',
	whatItDoes: 'What it does',
	escapeClosesThisList: 'Escape closes this list.',
	close: 'Close'
};
