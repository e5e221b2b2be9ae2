/** What the address book says: names given to contacts on this device, and groups. A translation
 * replaces these values, never the keys. */
export const addressBookText = {
	nameFor: (address: string) => `Name for ${address}`,
	namePlaceholder: 'Add a name',
	saveName: 'Save name',
	savedAs: (name: string) => `Saved as “${name}”.`,
	nameRemoved: 'Name removed.',

	groupsHeading: 'Groups',
	groupsHint:
		'Write to everyone in a group at once: pick it under “To” when you write. The message is encrypted once, to each member’s key.',
	deleteGroup: (name: string) => `Delete ${name}`,
	groupName: 'Group name',
	groupMembers: 'Members',
	groupMembersPlaceholder: 'name@example.org, another@example.org',
	saveGroup: 'Save group',
	groupSaved: (name: string, count: number) =>
		`Saved the group “${name}” with ${count} ${count === 1 ? 'person' : 'people'}.`,
	groupDeleted: (name: string) => `Deleted the group “${name}”.`,

	addGroup: 'Add a group',
	chooseGroup: 'Choose a group…',
	groupOption: (name: string, count: number) => `${name} (${count})`,

	listsHeading: 'Mailing lists on the relay',
	listsHint:
		'A list is an address on your relay whose mail reaches the inbox of every member who accepted its invitation. Members need an account on this relay. Senders encrypt to each member, so anyone signed in here can see who is on a list.',
	listAddress: 'List address',
	listMembers: 'Members of the list',
	showMembers: 'Show its members',
	saveList: 'Save list',
	listSaved: (address: string, members: string[]) =>
		members.length === 0
			? `${address} reaches no one yet: members receive its mail once they accept.`
			: `${address} now reaches ${members.length === 1 ? 'one person' : `${members.length} people`}: ${members.join(', ')}.`,
	listInvited: (addresses: string[]) => `Invited, no answer yet: ${addresses.join(', ')}.`,
	listDeclined: (addresses: string[]) => `Declined: ${addresses.join(', ')}.`,
	noSuchList: (address: string) => `There is no list ${address} yet; add members and save it.`,
	listNeedsAddress: 'Type the list’s address, like team@example.org.',

	membershipsHeading: 'Mailing lists that name you',
	membershipsHint:
		'Someone who puts you on a list only invites you: its mail reaches you once you accept, and you can leave whenever you like.',
	noMemberships: 'No mailing list names you.',
	invitedTo: (list: string, owner: string) => `${owner} invites you to ${list}.`,
	acceptedList: (list: string, owner: string) => `You receive mail to ${list} (kept by ${owner}).`,
	declinedList: (list: string, owner: string) => `You declined ${list} (kept by ${owner}).`,
	acceptList: 'Accept',
	declineList: 'Decline',
	leaveList: 'Leave'
};
