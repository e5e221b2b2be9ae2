// Sessions can be ended from the app: after a reload and unlock this browser holds two relay
// sessions; the settings page lists both, marks this tab's, and ends the other.
import { expect, test } from '@playwright/test';
import { PASSPHRASE, onboard, uniqueName } from './support';

test('the sessions page lists sign-ins and ends one', async ({ page }) => {
	await onboard(page, 'Hana', uniqueName('hana'));
	// A reload forgets the unlocked key, not the relay session: unlocking again signs in anew.
	await page.reload();
	await page.getByLabel('Passphrase').fill(PASSPHRASE);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();

	await page.getByRole('link', { name: 'Sessions' }).click();
	await expect(page.getByRole('heading', { name: 'Signed-in sessions' })).toBeVisible();
	const rows = page.locator('li[data-session]');
	await expect(rows).toHaveCount(2);
	await expect(rows.filter({ hasText: '(this tab)' })).toHaveCount(1);

	await rows.getByRole('button', { name: 'End session' }).click();
	await expect(rows).toHaveCount(1);
	await expect(rows).toContainText('(this tab)');
	// This tab's own session still works.
	await page.getByRole('link', { name: 'Inbox' }).click();
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
	await expect(page.getByRole('alert')).toHaveCount(0);
});
