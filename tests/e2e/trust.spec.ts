// Trust you can see: a relay that starts serving a different key for someone Alice already
// wrote to must stop her, and two keys for one address are never chosen for her. Each test
// runs its own relay so it can tamper with the directory the way a hostile operator would.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { relayPerTest } from './relay-per-test';
import { onboard, ownFingerprint, uniqueName, writeMessage } from './support';

const own = relayPerTest(3);

async function open(browser: Browser): Promise<Page> {
	return (await own.newContext(browser)).newPage();
}

/** Groups of four, as the app shows a fingerprint in full. */
const grouped = (fingerprint: string) => fingerprint.match(/.{4}/g)!.join(' ');

async function expectSent(page: Page, subject: string): Promise<void> {
	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 30_000 });
	await expect(page.locator('li[data-message-id]', { hasText: subject })).toBeVisible();
}

async function expectInInbox(page: Page, subject: string): Promise<void> {
	await page.getByRole('link', { name: 'Inbox' }).click();
	await expect(page.locator('li[data-message-id]', { hasText: subject })).toHaveCount(1, {
		timeout: 45_000
	});
}

test('a key the relay swaps for a pinned contact stops the message with a warning', async ({
	browser
}) => {
	const alicePage = await open(browser);
	const bobPage = await open(browser);
	const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	const bobsKey = await ownFingerprint(bobPage);

	// The first letter pins Bob's key on Alice's device.
	await writeMessage(alicePage, { to: bob, subject: 'First letter', body: 'Hello Bob' });
	await expectSent(alicePage, 'First letter');

	const forged = await own.relay.forgeKey(bob);
	await writeMessage(alicePage, { to: bob, subject: 'Second letter', body: 'Still there?' });
	const warning = alicePage.getByTestId('key-change-warning');
	await expect(warning).toContainText(`The key of ${bob} changed`);
	await expect(warning.getByTestId('old-fingerprint')).toHaveText(grouped(bobsKey));
	await expect(warning.getByTestId('new-fingerprint')).toHaveText(grouped(forged));
	await expect(alicePage.getByRole('alert').filter({ hasText: 'Nothing was sent' })).toBeVisible();
	expect(own.relay.messagesFrom(alice)).toBe(1);

	// Keeping the old key encrypts to the pinned key: the real Bob reads it, the forger cannot.
	await warning.getByRole('button', { name: 'Keep using the old key' }).click();
	await expect(warning).toBeHidden();
	await alicePage.getByRole('button', { name: 'Send' }).click();
	await expectSent(alicePage, 'Second letter');
	expect(own.relay.messagesFrom(alice)).toBe(2);
	await expectInInbox(bobPage, 'Second letter');

	// Bob's contact page says the key changed, explains it one click away, and refuses a
	// fingerprint that matches neither key.
	await alicePage.getByRole('link', { name: 'Contacts' }).click();
	await alicePage
		.locator(`[data-contact="${bob}"]`)
		.getByRole('link', { name: 'Check this key' })
		.click();
	const badge = alicePage.getByTestId('contact-identity').locator('[data-trust]');
	await expect(badge).toHaveAttribute('data-trust', 'changed');
	await badge.click();
	await expect(alicePage.getByRole('note')).toContainText('someone may be posing as them');
	await alicePage.getByLabel('Their fingerprint').fill('C'.repeat(40));
	await alicePage.getByRole('button', { name: 'Mark verified' }).click();
	await expect(alicePage.getByRole('alert').filter({ hasText: 'does not match' })).toBeVisible();
	await expect(badge).toHaveAttribute('data-trust', 'changed');
});

test('two keys for one address are never chosen until one is verified', async ({ browser }) => {
	const alicePage = await open(browser);
	const carolPage = await open(browser);
	const carol = await onboard(carolPage, 'Carol', uniqueName('carol'));
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	const carolsKey = await ownFingerprint(carolPage);
	const other = await own.relay.importKey(carol);

	await writeMessage(alicePage, { to: carol, subject: 'Which one?', body: 'Hello Carol' });
	await expect(alicePage.getByText(`More than one key claims ${carol}`)).toBeVisible();
	await expect(alicePage.getByRole('alert').filter({ hasText: 'Nothing was sent' })).toBeVisible();
	expect(own.relay.messagesFrom(alice)).toBe(0);

	await alicePage.getByRole('link', { name: 'Compare the keys' }).click();
	const conflict = alicePage.getByTestId('conflict-keys');
	await expect(conflict).toContainText(grouped(carolsKey));
	await expect(conflict).toContainText(grouped(other));
	await alicePage.getByLabel('Their fingerprint').fill(grouped(carolsKey).toLowerCase());
	await alicePage.getByRole('button', { name: 'Mark verified' }).click();
	await expect(alicePage.getByTestId('contact-identity').locator('[data-trust]')).toHaveAttribute(
		'data-trust',
		'verified'
	);

	await writeMessage(alicePage, { to: carol, subject: 'Now verified', body: 'Hello Carol' });
	await expectSent(alicePage, 'Now verified');
	await expectInInbox(carolPage, 'Now verified');
});
