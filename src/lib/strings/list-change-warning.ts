/** What lib/ui/ListChangeWarning.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const listChangeWarningStrings = {
	theMembersOfChanged: (address: string | number) =>
		`The members of the mailing list ${address} changed.`,
	theRelaySaysOther:
		'This device kept who was on the list when you last wrote to it, and the relay now says others are. A member may have joined or left — or someone may be slipping in a reader. Nothing is sent until you choose.',
	noLongerAList: (address: string | number) => `${address} is no longer a mailing list.`,
	theRelayNowGives:
		'When you last wrote, the relay said it was a list; now it gives one key for it instead of its members. Nothing is sent until you choose.',
	added: 'Added',
	removed: 'Removed',
	askTheOwner:
		'If you did not expect this, ask a member or the list’s owner by phone or in person before writing.',
	acceptTheNewMembers: 'Accept the new members',
	writeToItAsOne: 'Write to it as one person'
};
