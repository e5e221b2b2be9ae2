// The core promise end to end: two people on two devices, a message written by one, read by
// the other, signed and with the same fingerprints everywhere.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import {
	PASSPHRASE,
	guardPage,
	onboard,
	ownFingerprint,
	relayFilesContaining,
	uniqueName,
	unlock,
	writeMessage
} from './support';

test('alice writes to bob, who reads it signed, with matching fingerprints', async ({
	browser,
	baseURL
}) => {
	const alicePage = await (await browser.newContext()).newPage();
	const bobPage = await (await browser.newContext()).newPage();
	// The whole flow, crypto worker included, stays on the app's origin within its CSP.
	const guards = await Promise.all(
		[alicePage, bobPage].map((page) => guardPage(page, new URL(baseURL!).origin))
	);
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));
	const aliceFingerprint = await ownFingerprint(alicePage);
	const bobFingerprint = await ownFingerprint(bobPage);
	expect(aliceFingerprint).not.toBe(bobFingerprint);

	const canary = `canary-${randomUUID()}`;
	const body = `Hello Bob,\nthe word is ${canary}.\n\nAlice`;
	await writeMessage(alicePage, { to: bob, subject: `Plans ${canary}`, body });

	// Alice lands in Sent, which lists the message with Bob's fingerprint.
	await expect(alicePage.getByRole('heading', { name: 'Sent' })).toBeVisible();
	await expect(
		alicePage.getByRole('status').filter({ hasText: `Sent, encrypted, to ${bob}` })
	).toBeVisible();
	const sentRow = alicePage.locator('li[data-message-id]', { hasText: canary });
	await expect(sentRow.locator(`[data-address="${bob}"]`)).toHaveAttribute(
		'data-fingerprint',
		bobFingerprint
	);

	// Bob's open inbox picks it up by polling, with no reload.
	const row = bobPage.locator('li[data-message-id]', { hasText: canary });
	await expect(row).toBeVisible();
	await row.getByRole('link', { name: `Plans ${canary}` }).click();

	const message = bobPage.getByRole('article');
	await expect(message.getByRole('heading', { name: `Plans ${canary}` })).toBeVisible();
	expect(await message.locator('pre').innerText()).toBe(body);
	// Alice is new to Bob: her key is looked up only when he chooses to (tests/e2e/readers.spec.ts).
	await expect(message.locator('[data-signature]')).toHaveAttribute(
		'data-signature',
		'unknown-key'
	);
	await message.getByRole('button', { name: 'Look up the sender’s key' }).click();
	await expect(message.locator('[data-signature]')).toHaveAttribute('data-signature', 'valid');
	await expect(message.locator('[data-signature]')).toContainText('Signed by');
	await expect(message.locator(`.from [data-address="${alice}"]`)).toHaveAttribute(
		'data-fingerprint',
		aliceFingerprint
	);
	await expect(message.locator(`.to [data-address="${bob}"]`)).toHaveAttribute(
		'data-fingerprint',
		bobFingerprint
	);
	await expect(row.locator(`[data-address="${alice}"]`)).toHaveAttribute(
		'data-fingerprint',
		aliceFingerprint
	);
	// The relay stored and forwarded the message without ever holding its words.
	expect(relayFilesContaining(canary)).toEqual([]);
	for (const guard of guards) {
		expect(guard.foreignRequests).toEqual([]);
		expect(await guard.violations()).toEqual([]);
	}
});

test('a wrong passphrase is refused with a sentence and the key stays locked', async ({ page }) => {
	await onboard(page, 'Carol', uniqueName('carol'));
	await page.getByRole('button', { name: 'Lock' }).click();
	await expect(page.getByRole('heading', { name: 'Unlock your mail' })).toBeVisible();

	await page.getByLabel('Passphrase').fill('not my passphrase at all');
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('alert')).toContainText('That passphrase does not unlock this key');
	await expect(page.getByRole('heading', { name: 'Unlock your mail' })).toBeVisible();
	await expect(page.getByTestId('account-menu')).toHaveCount(0);

	await page.getByLabel('Passphrase').fill(PASSPHRASE);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
});

test('malformed and unknown recipients are explained and nothing is sent', async ({ page }) => {
	await onboard(page, 'Dave', uniqueName('dave'));

	await writeMessage(page, { to: 'bob@', subject: 'Hello', body: 'Anyone there?' });
	await expect(page.getByText('“bob@” is not a complete address')).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('Nothing was sent');

	const stranger = `${uniqueName('nobody')}@localhost`;
	await page.getByLabel('To').fill(stranger);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page.getByText(`No one called ${stranger} has a Letterlock key here`)).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('Nothing was sent');

	await page.getByRole('link', { name: 'Sent' }).click();
	await expect(page.getByText('Nothing sent yet.')).toBeVisible();
});

test('after a reload the identity is still here: unlock, then the inbox with its mail', async ({
	browser
}) => {
	const senderPage = await (await browser.newContext()).newPage();
	const readerPage = await (await browser.newContext()).newPage();
	await onboard(senderPage, 'Erin', uniqueName('erin'));
	const reader = await onboard(readerPage, 'Frank', uniqueName('frank'));
	const canary = `canary-${randomUUID()}`;
	await writeMessage(senderPage, { to: reader, subject: canary, body: 'Kept across reloads.' });
	await expect(senderPage.getByRole('heading', { name: 'Sent' })).toBeVisible();

	await readerPage.reload();
	await expect(readerPage.getByRole('heading', { name: 'Unlock your mail' })).toBeVisible();
	await readerPage.getByLabel('Passphrase').fill(PASSPHRASE);
	await readerPage.getByRole('button', { name: 'Unlock' }).click();
	await expect(readerPage.getByRole('heading', { name: 'Inbox' })).toBeVisible();
	await expect(readerPage.locator('li[data-message-id]', { hasText: canary })).toBeVisible();
});

test('the key locks itself after the idle time and asks for the passphrase again', async ({
	page
}) => {
	await page.addInitScript(() => localStorage.setItem('letterlock.autolockMs', '2000'));
	await onboard(page, 'Grace', uniqueName('grace'));
	await expect(page.getByRole('heading', { name: 'Unlock your mail' })).toBeVisible({
		timeout: 10_000
	});
	await expect(page.getByTestId('account-menu')).toHaveCount(0);
});

test('a note to oneself shows once in Inbox and once in Sent, also after unlocking again', async ({
	page
}) => {
	const me = await onboard(page, 'Gwen', uniqueName('gwen'));
	const subject = `note-${randomUUID()}`;
	await writeMessage(page, { to: me, subject, body: 'Remember the milk.' });
	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible();
	await expect(page.locator('li[data-message-id]', { hasText: subject })).toHaveCount(1);

	await page.getByRole('button', { name: 'Lock' }).click();
	await unlock(page);
	await expect(page.locator('li[data-message-id]', { hasText: subject })).toHaveCount(1);
	await page.getByRole('link', { name: 'Sent', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible();
	await expect(page.locator('li[data-message-id]', { hasText: subject })).toHaveCount(1);
});
