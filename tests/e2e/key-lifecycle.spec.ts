// A key's life as contacts see it: Bob moves to a new key his old key certifies, and Alice is
// told so (not just "changed"); then Bob revokes it, and Alice cannot write to it.
import { expect, test } from '@playwright/test';
import { PASSPHRASE, onboard, openContactPage, uniqueName, writeMessage } from './support';

test('a rotated key shows as certified by the old one; a revoked key cannot be written to', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const alicePage = await (await browser.newContext()).newPage();
	const bobPage = await (await browser.newContext()).newPage();
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));

	// Alice pins Bob's first key by writing to him.
	await writeMessage(alicePage, { to: bob, subject: 'Before', body: 'Hello Bob' });
	await expect(alicePage.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 30_000 });

	// New keys expire in two years, which Settings says.
	await bobPage.getByRole('link', { name: 'Settings' }).click();
	await expect(bobPage.getByTestId('own-key-state')).toContainText('Valid until');
	await bobPage.getByLabel('Your passphrase').fill(PASSPHRASE);
	await bobPage.getByRole('button', { name: 'Make a new key' }).click();
	await expect(bobPage.getByRole('status').filter({ hasText: 'You have a new key' })).toBeVisible({
		timeout: 30_000
	});

	// Bob's letter, signed with his new key, reaches Alice; both the letter and his page say
	// the change is certified by the key she kept.
	await writeMessage(bobPage, { to: alice, subject: 'New key', body: 'I moved to a new key' });
	await expect(bobPage.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 30_000 });
	await alicePage.getByRole('link', { name: 'Inbox' }).click();
	await alicePage.getByRole('link', { name: 'New key' }).click({ timeout: 45_000 });
	const from = alicePage.locator('dd.from [data-trust]');
	await expect(from).toHaveAttribute('data-trust', 'rotated');
	await expect(from).toHaveText(/Key changed, certified by the old key/);

	await openContactPage(alicePage, bob);
	const badge = alicePage.getByTestId('contact-identity').locator('[data-trust]');
	await expect(badge).toHaveAttribute('data-trust', 'rotated');
	await expect(alicePage.getByTestId('key-change-warning')).toContainText(
		`${bob} moved to a new key, certified by their old key`
	);
	await alicePage.getByRole('button', { name: 'Use their new key' }).click();
	await expect(badge).toHaveAttribute('data-trust', 'unverified');

	// Bob revokes the new key; Alice's next letter is stopped with a sentence.
	await bobPage.getByRole('link', { name: 'Settings' }).click();
	await bobPage.getByLabel('I understand that revoking cannot be undone').check();
	await bobPage.getByRole('button', { name: 'Revoke my key' }).click();
	await expect(bobPage.getByRole('status').filter({ hasText: 'Your key is revoked' })).toBeVisible({
		timeout: 30_000
	});
	await writeMessage(alicePage, { to: bob, subject: 'After', body: 'Still there?' });
	await expect(
		alicePage.getByText(`The key of ${bob} is revoked or expired, so it cannot be written to`)
	).toBeVisible();
});
