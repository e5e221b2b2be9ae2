/** What lib/ui/UndoToast.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const undoToastStrings = {
	undo: 'Undo',
	dismiss: 'Dismiss'
};
