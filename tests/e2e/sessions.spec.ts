// Sessions can be ended from the app: after a reload and unlock this browser holds two relay
// sessions; the settings page lists both, marks this tab's, and ends the other.
import { expect, test, type Page } from '@playwright/test';
import { PASSPHRASE, onboard, uniqueName } from './support';

/** Makes the relay session this browser keeps look minutes from expiry, as after half a day. */
async function ageKeptSession(page: Page): Promise<void> {
	await page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const opening = indexedDB.open('letterlock');
				opening.onerror = () => reject(opening.error);
				opening.onsuccess = () => {
					const transaction = opening.result.transaction('relaySessions', 'readwrite');
					const store = transaction.objectStore('relaySessions');
					const all = store.getAll();
					all.onsuccess = () => {
						const expiresAt = new Date(Date.now() + 60_000).toISOString();
						for (const kept of all.result as object[]) store.put({ ...kept, expiresAt });
					};
					transaction.oncomplete = () => resolve();
					transaction.onerror = () => reject(transaction.error);
				};
			})
	);
}

test('the sessions page lists sign-ins and ends one', async ({ page }) => {
	await onboard(page, 'Hana', uniqueName('hana'));
	// A reload forgets the unlocked key, not the relay session, which unlocking takes up again
	// while it has a while to run; one about to expire it does not, and signs in anew.
	await ageKeptSession(page);
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
