// What the mail page's buttons and shortcuts do to messages: move between folders (with Undo),
// set flags, and delete for good. Every change goes through the synced mail state.
import { mailActionsStrings as strings } from '$lib/strings/mail-actions';
import { FOLDER_NAMES } from '$lib/client/folders';
import { type CopyRef, type FlagChange, type MailFolder } from '$lib/client/mail-state';
import type { Session } from '$lib/client/session.svelte';
import { session } from './app-session';

export interface UndoOffer {
	text: string;
	undo: () => void;
}

/** A folder, or 'home': back where the relay filed each copy (Inbox, or Sent). */
export type MoveTarget = MailFolder | 'home';

const count = (n: number) => (n === 1 ? '1 message' : `${n} messages`);

export class MailActions {
	/** The last move, offered for undoing in a toast until the next one. */
	offer = $state<UndoOffer | null>(null);

	constructor(private readonly session: Pick<Session, 'mailbox' | 'mailState' | 'on'>) {
		// An undo from before the lock would act on a mailbox that is gone.
		session.on('locked', () => {
			this.offer = null;
		});
	}

	move(refs: CopyRef[], target: MoveTarget): void {
		const state = this.session.mailState;
		if (!state || refs.length === 0) return;
		// Each copy goes back where it was, which may differ within one selection.
		const cameFrom: Partial<Record<MailFolder, CopyRef[]>> = {};
		for (const ref of refs) (cameFrom[state.flags(ref).folder] ??= []).push(ref);
		for (const copy of ['inbox', 'sent'] as const) {
			const value = target === 'home' ? copy : target;
			void state.set(
				refs.filter((ref) => ref.copy === copy),
				{ field: 'folder', value }
			);
		}
		this.offer = {
			text:
				target === 'home'
					? strings.putBack(count(refs.length))
					: `Moved ${count(refs.length)} to ${FOLDER_NAMES[target]}.`,
			undo: () => {
				for (const [previous, group] of Object.entries(cameFrom)) {
					void state.set(group, { field: 'folder', value: previous as MailFolder });
				}
				this.offer = null;
			}
		};
	}

	flag(refs: CopyRef[], change: FlagChange): void {
		void this.session.mailState?.set(refs, change);
	}

	/** Deletes for good, on the relay too; there is no undo, so the page asks first. */
	async deleteForGood(refs: CopyRef[]): Promise<void> {
		const mailbox = this.session.mailbox;
		const state = this.session.mailState;
		if (!mailbox || !state) return;
		const ids = refs.map((ref) => ref.id);
		for (const id of ids.filter((each, index) => ids.indexOf(each) === index)) {
			await mailbox.deleteForGood(id);
			// Both copies: mail to oneself sat in Inbox and Sent, and the relay dropped both.
			await state.set(
				(['inbox', 'sent'] as const).map((copy) => ({ copy, id })),
				{ field: 'deleted', value: true }
			);
		}
		this.offer = null;
	}
}

export const mailActions = new MailActions(session);
