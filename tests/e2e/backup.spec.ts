// Getting back in: a backup file opened in a fresh browser, a recovery phrase typed into a
// browser that keeps nothing (no service worker, as in Tor Browser), and a second device joined
// by scanning a code. Each ends with the same key and the mail received before readable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { PASSPHRASE, onboard, ownFingerprint, uniqueName, writeMessage } from './support';

let contexts: BrowserContext[] = [];
let downloads: string;

async function open(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
	const context = await browser.newContext(options);
	contexts.push(context);
	return context.newPage();
}

test.beforeEach(() => {
	downloads = mkdtempSync(join(tmpdir(), 'letterlock-e2e-backup-'));
});

test.afterEach(async () => {
	await Promise.all(contexts.map((context) => context.close()));
	contexts = [];
	rmSync(downloads, { recursive: true, force: true });
});

/** Bob writes to a new Alice, who reads it and marks Bob's key verified: what must come back. */
async function aliceWithHistory(browser: Browser) {
	const alicePage = await open(browser);
	const bobPage = await open(browser);
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));
	const bobsKey = await ownFingerprint(bobPage);
	const subject = `Before the move ${uniqueName('s')}`;
	await writeMessage(bobPage, { to: alice, subject, body: 'Written before the backup.' });
	await expect(alicePage.locator('li[data-message-id]', { hasText: subject })).toBeVisible({
		timeout: 30_000
	});
	await alicePage.getByRole('link', { name: 'Contacts' }).click();
	await alicePage
		.locator(`[data-contact="${bob}"]`)
		.getByRole('link', { name: 'Check this key' })
		.click();
	await alicePage.getByLabel('Their fingerprint').fill(bobsKey);
	await alicePage.getByRole('button', { name: 'Mark verified' }).click();
	await expect(alicePage.getByTestId('contact-identity').locator('[data-trust]')).toHaveAttribute(
		'data-trust',
		'verified'
	);
	return { alicePage, alice, bob, subject, aliceKey: await ownFingerprint(alicePage) };
}

/** The restored device reads the old letter and still trusts Bob's key as verified. */
async function expectRestored(
	page: Page,
	history: { bob: string; subject: string; aliceKey: string }
) {
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible({ timeout: 30_000 });
	expect(await ownFingerprint(page)).toBe(history.aliceKey);
	await page.getByRole('link', { name: history.subject }).click();
	await expect(page.getByRole('article').locator('pre')).toHaveText('Written before the backup.');
	await page.getByRole('link', { name: 'Contacts' }).click();
	await expect(
		page.locator(`[data-contact="${history.bob}"] [data-trust]`).first()
	).toHaveAttribute('data-trust', 'verified');
}

test('a backup file from settings restores key, mail and trust in a fresh browser', async ({
	browser
}) => {
	const history = await aliceWithHistory(browser);
	const { alicePage } = history;
	await alicePage.getByRole('link', { name: 'Settings' }).click();
	await alicePage.getByRole('link', { name: 'Backup', exact: true }).click();
	await alicePage.getByLabel('Your passphrase').fill(PASSPHRASE);
	const [download] = await Promise.all([
		alicePage.waitForEvent('download'),
		alicePage.getByRole('button', { name: 'Download a backup file' }).click()
	]);
	const file = join(downloads, download.suggestedFilename());
	await download.saveAs(file);

	const fresh = await open(browser);
	await fresh.goto('/');
	await fresh.getByRole('link', { name: 'Restore from a backup' }).click();
	await fresh.getByLabel('Backup file').setInputFiles(file);
	await fresh.getByLabel('Passphrase').fill('not the passphrase');
	await fresh.getByRole('button', { name: 'Restore' }).click();
	await expect(fresh.getByRole('alert').filter({ hasText: 'passphrase' })).toBeVisible();
	await fresh.getByLabel('Passphrase').fill(PASSPHRASE);
	await fresh.getByRole('button', { name: 'Restore' }).click();
	await expectRestored(fresh, history);
});
