/** What lib/ui/format.ts says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const formatStrings = {
	unknownDate: 'unknown date',
	somethingWentWrongTry:
		'Something went wrong. Try again, and reload the page if it keeps happening.'
};
