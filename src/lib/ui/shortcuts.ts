// The mail page's single-key shortcuts. They never fire while the person is typing: in a text
// field, a text area, a select or anything editable, keys belong to that field.
import { shortcutsStrings as strings } from '$lib/strings/shortcuts';

export type ShortcutAction =
	| 'next'
	| 'previous'
	| 'reply'
	| 'reply-all'
	| 'forward'
	| 'archive'
	| 'trash'
	| 'search'
	| 'compose'
	| 'help';

export const SHORTCUTS: { key: string; action: ShortcutAction; does: string }[] = [
	{ key: 'j', action: 'next', does: strings.openTheNextMessage },
	{ key: 'k', action: 'previous', does: strings.openThePreviousMessage },
	{ key: 'r', action: 'reply', does: strings.replyToTheSender },
	{ key: 'a', action: 'reply-all', does: strings.replyToEveryone },
	{ key: 'f', action: 'forward', does: 'Forward' },
	{ key: 'e', action: 'archive', does: 'Archive' },
	{ key: '#', action: 'trash', does: strings.moveToTrash },
	{ key: '/', action: 'search', does: strings.searchThisFolder },
	{ key: 'c', action: 'compose', does: strings.writeAMessage },
	{ key: '?', action: 'help', does: strings.showTheseShortcuts }
];

function isTyping(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	if (target.isContentEditable) return true;
	if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
	// Checkboxes and buttons take no text, so shortcuts still work after clicking one.
	const textless = ['checkbox', 'radio', 'button', 'submit', 'reset'];
	return target instanceof HTMLInputElement && !textless.includes(target.type);
}

/** The action a key press asks for, or null when it is not a shortcut here. */
export function shortcutOf(event: KeyboardEvent): ShortcutAction | null {
	if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return null;
	if (isTyping(event.target)) return null;
	// Inside an open dialog only the dialog's own keys count (Escape closes it).
	if (event.target instanceof Element && event.target.closest('dialog[open]')) return null;
	return SHORTCUTS.find((shortcut) => shortcut.key === event.key)?.action ?? null;
}
