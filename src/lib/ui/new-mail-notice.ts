// The browser notification for new mail while Letterlock is in the background. Off until the
// person turns it on (and the browser's permission is asked only then, on that click); when on,
// it says only "New message" unless they choose to show the sender and subject, which the
// operating system may then display on a locked screen or keep in its notification history.
import type { MailboxEntry } from '$lib/client/mailbox.svelte';
import { notificationsText as text } from '$lib/strings/notifications';
import { reveal } from './deceptive-text';

export type NoticeContent = 'nothing' | 'sender-and-subject';

export interface NoticeSettings {
	enabled: boolean;
	content: NoticeContent;
}

export const NOTICE_SETTINGS_KEY = 'letterlock.newMailNotices';
const DEFAULTS: NoticeSettings = { enabled: false, content: 'nothing' };

/** The device's choice (it is not secret, so it lives in localStorage); off by default. */
export function readNoticeSettings(storage: Pick<Storage, 'getItem'> | undefined): NoticeSettings {
	try {
		const saved = JSON.parse(storage?.getItem(NOTICE_SETTINGS_KEY) ?? 'null') as unknown;
		if (typeof saved !== 'object' || saved === null) return DEFAULTS;
		const { enabled, content } = saved as Record<string, unknown>;
		return {
			enabled: enabled === true,
			content: content === 'sender-and-subject' ? content : 'nothing'
		};
	} catch {
		return DEFAULTS;
	}
}

export function saveNoticeSettings(storage: Pick<Storage, 'setItem'>, settings: NoticeSettings) {
	storage.setItem(NOTICE_SETTINGS_KEY, JSON.stringify(settings));
}

/** What the notification says for a message, given the chosen content. */
export function noticeText(
	entry: Pick<MailboxEntry, 'view'>,
	content: NoticeContent
): { title: string; body?: string } {
	const mail = entry.view;
	if (content === 'nothing' || !mail) return { title: text.newMessage };
	const sender = reveal(mail.from.name || mail.from.address);
	return { title: text.newMessageFrom(sender), body: reveal(mail.subject) || text.noSubject };
}

/** Shows the notification if it is turned on, allowed, and no Letterlock page is in view. */
export function announceNewMail(entry: MailboxEntry): void {
	const settings = readNoticeSettings(globalThis.localStorage);
	if (!settings.enabled || typeof Notification === 'undefined') return;
	if (Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
	const { title, body } = noticeText(entry, settings.content);
	// One tag: a burst of mail replaces the notification instead of stacking them.
	const notice = new Notification(title, { body, tag: 'letterlock-new-mail' });
	notice.onclick = () => {
		window.focus();
		notice.close();
	};
}
