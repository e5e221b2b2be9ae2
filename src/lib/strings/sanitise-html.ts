/** What lib/ui/sanitise-html.ts says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const sanitiseHtmlStrings = {
	remoteImageBlocked: '[remote image blocked]'
};
