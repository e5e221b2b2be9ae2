/** What lib/ui/mail-actions.svelte.ts says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const mailActionsStrings = {
	putBack: (count: string | number) => `Put back ${count}.`
};
