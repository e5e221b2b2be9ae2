// Folders, flags and shortcuts as a person uses them, and the same state on a second device of
// the same person, synced through the relay as encrypted entries only.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { onboard, relayFilesContaining, uniqueName, unlock, writeMessage } from './support';

const row = (page: Page, subject: string) =>
	page.locator('li[data-message-id]', { hasText: subject });

async function newPage(browser: Browser): Promise<Page> {
	return (await browser.newContext()).newPage();
}

/** Moves the identity to another browser the way a copied profile would: the stored record
 * (passphrase-locked key) goes into that browser's IndexedDB, then it is unlocked there. */
async function copyIdentity(from: Page, to: Page): Promise<void> {
	const records = await from.evaluate(readStore, 'identities');
	await to.goto('/');
	await expect(to.getByRole('heading', { name: 'Create your Letterlock address' })).toBeVisible();
	await to.evaluate(
		async ([rows]) => {
			const db = await new Promise<IDBDatabase>((done, fail) => {
				const opening = indexedDB.open('letterlock');
				opening.onsuccess = () => done(opening.result);
				opening.onerror = () => fail(opening.error);
			});
			const store = db.transaction('identities', 'readwrite').objectStore('identities');
			for (const record of rows as unknown[]) store.put(record);
			await new Promise((done) => (store.transaction.oncomplete = done));
		},
		[records]
	);
	await to.reload();
	await unlock(to);
}

function readStore(name: string): Promise<unknown[]> {
	return new Promise((done, fail) => {
		const opening = indexedDB.open('letterlock');
		opening.onerror = () => fail(opening.error);
		opening.onsuccess = () => {
			const all = opening.result.transaction(name).objectStore(name).getAll();
			all.onsuccess = () => done(all.result);
			all.onerror = () => fail(all.error);
		};
	});
}

/** The relay's own listing of a folder, with the session token this page keeps. */
async function relayListing(page: Page, address: string): Promise<string[]> {
	const sessions = (await page.evaluate(readStore, 'relaySessions')) as { token: string }[];
	return page.evaluate(
		async ([who, token]) => {
			const response = await fetch(`/api/mailboxes/${who}/messages?folder=inbox`, {
				headers: { authorization: `Bearer ${token}` }
			});
			const body = (await response.json()) as { messages: { id: string }[] };
			return body.messages.map((message) => message.id);
		},
		[address, sessions[0]!.token]
	);
}

test('folders, flags, undo, emptying trash and shortcuts, synced to a second device', async ({
	browser
}) => {
	test.setTimeout(150_000);
	const bobPage = await newPage(browser);
	const alicePage = await newPage(browser);
	await onboard(bobPage, 'Bob', uniqueName('bob'));
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	for (const word of ['one', 'two', 'three']) {
		await writeMessage(bobPage, { to: alice, subject: `Folders ${word}`, body: `Body ${word}` });
		await expect(bobPage.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 30_000 });
	}

	const page = alicePage;
	await page.getByRole('link', { name: 'Inbox' }).click();
	for (const word of ['one', 'two', 'three']) {
		await expect(row(page, `Folders ${word}`)).toHaveAttribute('data-unread', 'true', {
			timeout: 45_000
		});
	}
	const reader = page.getByRole('region', { name: 'Message' });

	// j/k walk the list, newest first; opening a message marks it read.
	await page.keyboard.press('j');
	await expect(reader.getByRole('heading', { name: 'Folders three' })).toBeVisible();
	await page.keyboard.press('j');
	await expect(reader.getByRole('heading', { name: 'Folders two' })).toBeVisible();
	await page.keyboard.press('k');
	await expect(reader.getByRole('heading', { name: 'Folders three' })).toBeVisible();
	await expect(row(page, 'Folders three')).toHaveAttribute('data-unread', 'false');
	await expect(row(page, 'Folders one')).toHaveAttribute('data-unread', 'true');

	// ? lists the shortcuts; Escape closes the list.
	await page.keyboard.press('?');
	const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
	await expect(help).toBeVisible();
	await expect(help.getByRole('row', { name: 'e Archive' })).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(help).toBeHidden();

	// Typing in the search box is typing, not shortcuts (e and # would move the message away;
	// the search for them finds nothing, and the message is back once the search is cleared).
	await page.keyboard.press('/');
	await expect(page.getByRole('searchbox', { name: 'Search mail on this device' })).toBeFocused();
	await page.keyboard.type('e#qzx');
	await expect(row(page, 'Folders three')).toBeHidden();
	await page.getByRole('searchbox', { name: 'Search mail on this device' }).fill('');
	await expect(row(page, 'Folders three')).toBeVisible();

	// Star, then archive with e: reading goes on with the next message.
	await row(page, 'Folders three').getByRole('button', { name: 'Star “Folders three”' }).click();
	await expect(row(page, 'Folders three')).toHaveAttribute('data-starred', 'true');
	await page.locator('body').click();
	await page.keyboard.press('e');
	await expect(
		page.getByRole('status').filter({ hasText: 'Moved 1 message to Archive.' })
	).toBeVisible();
	await expect(row(page, 'Folders three')).toBeHidden();
	await expect(reader.getByRole('heading', { name: 'Folders two' })).toBeVisible();

	// # moves to Trash; Undo puts it back.
	await page.keyboard.press('#');
	await expect(row(page, 'Folders two')).toBeHidden();
	await page.getByRole('button', { name: 'Undo' }).click();
	await expect(row(page, 'Folders two')).toBeVisible();

	// Tick one, Shift-tick another: both go to Trash together.
	await row(page, 'Folders two').getByRole('checkbox').check();
	await row(page, 'Folders one')
		.getByRole('checkbox')
		.click({ modifiers: ['Shift'] });
	await expect(page.getByText('2 selected')).toBeVisible();
	await page
		.getByRole('toolbar', { name: 'Ticked messages' })
		.getByRole('button', { name: 'Move to Trash' })
		.click();
	await expect(page.getByText('No mail yet.')).toBeVisible();

	await page.getByRole('link', { name: 'Trash' }).click();
	await expect(page.getByRole('heading', { name: 'Trash' })).toBeVisible();
	await expect(page.locator('li[data-message-id]')).toHaveCount(2);
	const trashed = await page
		.locator('li[data-message-id]')
		.evaluateAll((rows) => rows.map((li) => li.getAttribute('data-message-id')!));
	await page.getByRole('button', { name: 'Empty trash' }).click();
	await expect(page.getByRole('alertdialog')).toContainText(
		'Delete all 2 messages in Trash for good?'
	);
	await page.getByRole('button', { name: 'Delete for good' }).click();
	await expect(page.getByText('Trash is empty.')).toBeVisible();
	const onRelay = await relayListing(page, alice);
	expect(onRelay).toHaveLength(1);
	for (const id of trashed) expect(onRelay).not.toContain(id);
	// The relay kept the state only as ciphertext.
	expect(relayFilesContaining('archive')).toEqual([]);

	// A second device of Alice's sees the same folders and flags, and its changes come back.
	const second = await newPage(browser);
	await copyIdentity(page, second);
	await second.getByRole('link', { name: 'Archive' }).click();
	await expect(row(second, 'Folders three')).toHaveAttribute('data-starred', 'true', {
		timeout: 30_000
	});
	await expect(row(second, 'Folders three')).toHaveAttribute('data-unread', 'false');
	await second.getByRole('link', { name: 'Inbox' }).click();
	await expect(second.getByText('No mail yet.')).toBeVisible();
	await second.getByRole('link', { name: 'Trash' }).click();
	await expect(second.getByText('Trash is empty.')).toBeVisible();
	await second.getByRole('link', { name: 'Archive' }).click();
	await row(second, 'Folders three').getByRole('checkbox').check();
	await second.getByRole('button', { name: 'Mark as unread' }).click();
	await expect(row(second, 'Folders three')).toHaveAttribute('data-unread', 'true');

	await page.getByRole('link', { name: 'Archive' }).click();
	await expect(row(page, 'Folders three')).toHaveAttribute('data-unread', 'true', {
		timeout: 30_000
	});
});
