/** What lib/ui/MailingListMembers.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const mailingListMembersStrings = {
	isAMailingList: (address: string | number, count: number) =>
		`${address} is a mailing list of ${count === 1 ? 'one person' : `${count} people`}; each gets the message encrypted to their own key:`,
	membersOf: (address: string | number) => `Members of ${address}`
};
