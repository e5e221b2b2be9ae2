// What the interface reads and writes on this device, as plain functions of the client core: UI
// files never open the local database themselves, so where it lives (IndexedDB, or memory) and
// how its tables are laid out stays the client core's business.
import type { CryptoApi } from '../crypto/types';
import type { BackupContents } from './backup';
import { installBackup } from './device-backup';
import { discardDraft, loadDraft, saveDraft, type DraftFields } from './drafts';
import { deleteGroup, listGroups, saveGroup, type GroupRecord } from './groups';
import type { StoredIdentity } from './keystore';
import { localDb, type LocalDb } from './local-db';
import type { ContactRecord } from './trust';

/** 'memory' when IndexedDB could not be opened: nothing survives closing the tab. */
export async function storageKind(): Promise<LocalDb['kind']> {
	return (await localDb()).kind;
}

/** Every pinned contact on this device, for a backup or a transfer to another device. */
export async function deviceContacts(): Promise<ContactRecord[]> {
	return (await localDb()).contacts.getAll();
}

/** Puts a backup's identity and contacts on this device. */
export async function installBackupHere(
	contents: BackupContents,
	relayOrigin: string
): Promise<StoredIdentity> {
	return installBackup(await localDb(), contents, relayOrigin);
}

/** The compose form of `address`, sealed to its own key (see drafts.ts). */
export const deviceDrafts = {
	load: async (crypto: CryptoApi, address: string): Promise<DraftFields | null> =>
		loadDraft(await localDb(), crypto, address),
	save: async (crypto: CryptoApi, address: string, fields: DraftFields): Promise<void> =>
		saveDraft(await localDb(), crypto, address, fields),
	discard: async (address: string): Promise<void> => discardDraft(await localDb(), address)
};

/** The groups of `owner` kept on this device (see groups.ts). */
export const deviceGroups = {
	list: async (owner: string): Promise<GroupRecord[]> =>
		listGroups((await localDb()).groups, owner),
	save: async (owner: string, name: string, members: string): Promise<GroupRecord> =>
		saveGroup((await localDb()).groups, owner, name, members),
	delete: async (group: GroupRecord): Promise<void> => deleteGroup((await localDb()).groups, group)
};
