// What the new-mail notification says: nothing of the message unless the person chose so, and
// deceptive characters shown as codes when it does.
import { describe, expect, it } from 'vitest';
import {
	NOTICE_SETTINGS_KEY,
	noticeText,
	readNoticeSettings,
	saveNoticeSettings
} from '../../src/lib/ui/new-mail-notice';
import type { OpenedMail } from '../../src/lib/client/mailer';

const mail = {
	from: { name: 'Mallory', address: 'mallory@example.org' },
	subject: 'Invoice \u202Efdp.exe'
} as OpenedMail;

function memoryStorage() {
	const items = new Map<string, string>();
	return {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value)
	};
}

describe('new-mail notification', () => {
	it('is off and without content until chosen, also when the saved setting is damaged', () => {
		const storage = memoryStorage();
		expect(readNoticeSettings(storage)).toEqual({ enabled: false, content: 'nothing' });
		storage.setItem(NOTICE_SETTINGS_KEY, '{"enabled": "yes", "content": "everything"');
		expect(readNoticeSettings(storage)).toEqual({ enabled: false, content: 'nothing' });
		expect(readNoticeSettings(undefined)).toEqual({ enabled: false, content: 'nothing' });
	});

	it('keeps what the person chose', () => {
		const storage = memoryStorage();
		saveNoticeSettings(storage, { enabled: true, content: 'sender-and-subject' });
		expect(readNoticeSettings(storage)).toEqual({ enabled: true, content: 'sender-and-subject' });
	});

	it('says only "New message" by default, and the sender and subject when chosen', () => {
		expect(noticeText({ view: mail }, 'nothing')).toEqual({ title: 'New message' });
		expect(noticeText({ view: null }, 'sender-and-subject')).toEqual({ title: 'New message' });
		expect(noticeText({ view: mail }, 'sender-and-subject')).toEqual({
			title: 'New message from Mallory',
			body: 'Invoice [U+202E]fdp.exe'
		});
	});
});
