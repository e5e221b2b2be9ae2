/** What lib/ui/deceptive-text.ts says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const deceptiveTextStrings = {
	containsCharactersThatReverse:
		'contains characters that reverse the order of the text shown; they are marked like [U+202E]',
	containsInvisibleCharactersThey: 'contains invisible characters; they are marked like [U+200B]',
	mixesLettersFromDifferent:
		'mixes letters from different alphabets, a trick to imitate another name or address',
	isAnAddressWith:
		'is an address with letters that only look like ordinary ones; no Letterlock address has them',
	containsAnEmailAddress:
		'contains an email address; the sender’s real address is the one shown next to the name'
};
