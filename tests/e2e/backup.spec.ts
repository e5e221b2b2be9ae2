// Getting back in: a backup file opened in a fresh browser, a recovery phrase typed into a
// browser that keeps nothing (no service worker, as in Tor Browser), and a second device joined
// by scanning a code. Each ends with the same key and the mail received before readable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import jsQR from 'jsqr';
import {
	PASSPHRASE,
	onboard,
	openContactPage,
	ownFingerprint,
	uniqueName,
	writeMessage
} from './support';

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
	// Reading a stranger's letter looks nothing up, so Alice opens Bob's page herself.
	await openContactPage(alicePage, bob);
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
	await alicePage
		.getByRole('region', { name: 'Backup file' })
		.getByLabel('Your passphrase')
		.fill(PASSPHRASE);
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

/** Settings → Backup → recovery phrase: returns the words, after typing back those asked for. */
async function makeRecoveryPhrase(page: Page): Promise<string[]> {
	await page.getByRole('link', { name: 'Settings' }).click();
	await page.getByRole('link', { name: 'Backup', exact: true }).click();
	await expect(page.getByTestId('recovery-status')).toHaveText('You have no recovery phrase yet.');
	await page
		.getByRole('region', { name: 'Recovery phrase' })
		.getByLabel('Your passphrase')
		.fill(PASSPHRASE);
	await page.getByRole('button', { name: 'Make a recovery phrase' }).click();
	await expect(page.getByTestId('recovery-phrase').locator('li')).toHaveCount(13);
	const words = await page.getByTestId('recovery-phrase').locator('li').allInnerTexts();
	const checks = page.getByLabel(/^Word \d+$/);
	await expect(checks).toHaveCount(3);
	for (const check of await checks.all()) {
		const label = await page.locator(`label[for="${await check.getAttribute('id')}"]`).innerText();
		await check.fill(words[Number(label.replace('Word ', '')) - 1]!);
	}
	await page.getByRole('button', { name: 'I wrote it down: store the backup' }).click();
	await expect(page.getByTestId('recovery-status')).toContainText(
		'A recovery backup is on the relay'
	);
	// Shown once: the words are gone from the page.
	await expect(page.getByTestId('recovery-phrase')).toHaveCount(0);
	return words;
}

test('a recovery phrase brings key, mail and trust back where nothing is kept (no service worker)', async ({
	browser
}) => {
	const history = await aliceWithHistory(browser);
	const words = await makeRecoveryPhrase(history.alicePage);

	// Tor Browser: no service worker, and a fresh profile that remembers nothing.
	const tor = await open(browser, { serviceWorkers: 'block' });
	await tor.goto('/');
	await tor.getByRole('link', { name: 'Sign in with your recovery phrase' }).click();
	await tor.getByLabel('Your address').fill(history.alice);
	const wrongWord = words[0] === 'acorn' ? 'actor' : 'acorn';
	await tor.getByLabel('Recovery phrase').fill([wrongWord, ...words.slice(1)].join(' '));
	const newPassphrase = 'lantern over the salt marsh 19';
	await tor.getByLabel('Passphrase for this browser').fill(newPassphrase);
	await tor.getByLabel('Repeat the passphrase').fill(newPassphrase);
	await tor.getByRole('button', { name: 'Recover my address' }).click();
	await expect(
		tor.getByRole('alert').filter({ hasText: 'check the address and every word' })
	).toBeVisible();
	// Four letters of each word are enough, in any case.
	await tor
		.getByLabel('Recovery phrase')
		.fill(words.map((word) => word.slice(0, 4).toUpperCase()).join('  '));
	await tor.getByRole('button', { name: 'Recover my address' }).click();
	await expectRestored(tor, history);

	// The key is now locked with the passphrase chosen on this browser.
	await tor.getByRole('button', { name: 'Lock' }).click();
	await tor.getByLabel('Passphrase').fill(newPassphrase);
	await tor.getByRole('button', { name: 'Unlock' }).click();
	await expect(tor.getByRole('heading', { name: 'Inbox' })).toBeVisible({ timeout: 30_000 });
});

/** Reads the QR code the page shows, as a camera would: from a picture of the screen. */
async function scanQrCode(page: Page): Promise<string> {
	const image = page.getByRole('img', { name: 'QR code that adds another device' });
	await expect(image).toBeVisible();
	const picture = (await image.screenshot()).toString('base64');
	const pixels = await page.evaluate(async (png) => {
		const bytes = Uint8Array.from(atob(png), (character) => character.charCodeAt(0));
		const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
		const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
		const context = canvas.getContext('2d')!;
		context.drawImage(bitmap, 0, 0);
		const data = context.getImageData(0, 0, bitmap.width, bitmap.height);
		return { width: data.width, height: data.height, data: [...data.data] };
	}, picture);
	const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
	expect(decoded, 'the QR code decodes').not.toBeNull();
	return decoded!.data;
}

test('a second device joins by scanning a QR code and reads the same mail', async ({ browser }) => {
	const history = await aliceWithHistory(browser);
	const { alicePage } = history;
	await alicePage.getByRole('link', { name: 'Settings' }).click();
	await alicePage.getByRole('link', { name: 'Backup', exact: true }).click();
	await alicePage.getByRole('button', { name: 'Add another device' }).click();
	const link = await scanQrCode(alicePage);
	const code = await alicePage.getByTestId('device-code').innerText();
	expect(link).toMatch(/\/welcome\/transfer#[0-9A-Z-]{19}$/);
	expect(link.endsWith(code)).toBe(true);

	const phone = await open(browser);
	await phone.goto(link);
	await phone.getByRole('button', { name: 'Fetch my key' }).click();
	await expect(
		phone.getByTestId('received-identity').locator('[data-fingerprint]')
	).toHaveAttribute('data-fingerprint', history.aliceKey);
	await expect(alicePage.getByRole('status').filter({ hasText: 'Device added' })).toBeVisible();
	await phone.getByLabel('Passphrase').fill(PASSPHRASE);
	await phone.getByRole('button', { name: 'Unlock' }).click();
	await expectRestored(phone, history);

	// The code worked once: typing it again on a third browser finds nothing.
	const third = await open(browser);
	await third.goto('/welcome/transfer');
	await third.getByLabel('Device code').fill(code.toLowerCase());
	await third.getByRole('button', { name: 'Fetch my key' }).click();
	await expect(
		third.getByRole('alert').filter({ hasText: 'already used or expired' })
	).toBeVisible();
});
