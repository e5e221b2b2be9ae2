// Groups of addresses kept on this device: writing to a group puts every member in To, and the
// message is encrypted once to all of their keys, like any message to several people. (A list
// that lives on the relay, with its own address, is a mailing list: server/lists.ts.)
import { isValidAddress, normaliseAddress } from '../protocol/address';
import type { Table } from './local-db';
import { ClientError } from './client-error';

export interface GroupRecord {
	/** `owner name`: each identity on the device has its own groups. */
	key: string;
	owner: string;
	name: string;
	members: string[];
}

export async function listGroups(table: Table<GroupRecord>, owner: string): Promise<GroupRecord[]> {
	return (await table.getAll())
		.filter((group) => group.owner === owner)
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Creates or replaces the group `name`; `members` is addresses separated by commas or spaces. */
export async function saveGroup(
	table: Table<GroupRecord>,
	owner: string,
	name: string,
	members: string
): Promise<GroupRecord> {
	const trimmed = name.trim();
	if (!trimmed) throw new ClientError({ kind: 'group-unnamed', params: {} });
	const addresses = addressesIn(members);
	if (addresses.length === 0) throw new ClientError({ kind: 'group-empty', params: {} });
	const group = { key: `${owner} ${trimmed}`, owner, name: trimmed, members: addresses };
	await table.put(group);
	return group;
}

/** The addresses typed in `text` (separated by commas, semicolons or spaces), each once. */
export function addressesIn(text: string): string[] {
	const addresses = text.split(/[\s,;]+/).filter(Boolean);
	const invalid = addresses.filter((address) => !isValidAddress(address));
	if (invalid.length > 0)
		throw new ClientError({ kind: 'invalid-addresses', params: { addresses: invalid } });
	return [...new Set(addresses.map(normaliseAddress))];
}

export function deleteGroup(table: Table<GroupRecord>, group: GroupRecord): Promise<void> {
	return table.delete(group.key);
}

/** The To field with the members added, each address once. */
export function addToRecipients(to: string, members: string[]): string {
	const present = to
		.split(',')
		.map((address) => address.trim())
		.filter(Boolean);
	const known = new Set(present.map((address) => address.toLowerCase()));
	return [...present, ...members.filter((member) => !known.has(member))].join(', ');
}
