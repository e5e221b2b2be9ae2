// The folders a person sees, built from the relay's two (Inbox, Sent) and the synced state.
import type { MailboxEntry } from './mailbox.svelte';
import type { CopyRef, Flags, MailFolder } from './mail-state';
import { newestFirst } from './order';

/** Drafts live on this device only (encrypted); the other folders come from the state. */
export type ViewFolder = MailFolder | 'drafts';

export const FOLDER_NAMES: Record<ViewFolder, string> = {
	inbox: 'Inbox',
	sent: 'Sent',
	drafts: 'Drafts',
	archive: 'Archive',
	trash: 'Trash'
};

export function viewFolder(text: string | null): ViewFolder {
	return text !== null && text in FOLDER_NAMES ? (text as ViewFolder) : 'inbox';
}

export const refOf = (entry: MailboxEntry): CopyRef => ({
	copy: entry.summary.folder,
	id: entry.summary.id
});

/** The copies in `folder`, newest first. */
export function entriesIn(
	all: MailboxEntry[],
	flagsOf: (ref: CopyRef) => Flags,
	folder: MailFolder
): MailboxEntry[] {
	return all
		.filter((entry) => {
			const flags = flagsOf(refOf(entry));
			return !flags.deleted && flags.folder === folder;
		})
		.sort(newestFirst);
}
