// Mail in and out as files in the browser: a message exports as PGP/MIME (still encrypted), the
// same file imports back with its signature checked, and a plain .eml is encrypted on the device
// before the relay stores it; both show in the inbox marked "Imported".
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { onboard, relayFilesContaining, uniqueName, writeMessage } from './support';

test('exports a message as .eml and imports it and a plain .eml from settings', async ({
	page
}) => {
	const me = await onboard(page, 'Ines', uniqueName('ines'));
	const canary = `canary-${randomUUID()}`;
	await writeMessage(page, { to: me, subject: `Export ${canary}`, body: 'To be exported.' });
	await page.getByRole('link', { name: 'Inbox' }).click();
	await page.getByRole('link', { name: `Export ${canary}` }).click();

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Export as .eml' }).click()
	]);
	const eml = readFileSync((await download.path())!, 'utf8');
	expect(download.suggestedFilename()).toMatch(/\.eml$/);
	expect(eml).toContain('Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"');
	expect(eml).toContain('-----BEGIN PGP MESSAGE-----');
	expect(eml).not.toContain(canary);

	const plainCanary = `plain-${randomUUID()}`;
	const plain = [
		'From: Old Program <old@example.org>',
		`To: ${me}`,
		`Subject: Plain ${plainCanary}`,
		'Date: Tue, 03 Mar 2026 10:00:00 +0000',
		'',
		'Mail from before Letterlock.',
		''
	].join('\r\n');

	await page.getByRole('link', { name: 'Settings' }).click();
	const picker = page.getByLabel('Mail file (.eml or mbox)');
	for (const [name, text] of [
		['exported.eml', eml],
		['plain.eml', plain]
	] as const) {
		await picker.setInputFiles({ name, mimeType: 'message/rfc822', buffer: Buffer.from(text) });
		await expect(page.getByTestId('import-result')).toHaveText(
			`Imported 1 message from ${name} into your inbox.`
		);
	}
	await picker.setInputFiles({
		name: 'notes.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from('not mail at all')
	});
	await expect(page.getByTestId('import-result')).toContainText('Nothing was imported');
	// The plain mail reached the relay only encrypted.
	expect(relayFilesContaining(plainCanary)).toEqual([]);

	await page.getByRole('link', { name: 'Inbox' }).click();
	const imported = page.locator('li[data-message-id]', { hasText: `Export ${canary}` });
	await expect(imported).toHaveCount(2);
	await expect(imported.getByTestId('imported-marker')).toHaveCount(1);
	await imported
		.filter({ has: page.getByTestId('imported-marker') })
		.getByRole('link')
		.click();
	const message = page.getByRole('article');
	await expect(message.getByTestId('imported-notice')).toBeVisible();
	await expect(message.locator('[data-signature]')).toHaveAttribute('data-signature', 'valid');

	const plainRow = page.locator('li[data-message-id]', { hasText: plainCanary });
	await expect(plainRow.getByTestId('imported-marker')).toBeVisible();
	await plainRow.getByRole('link').click();
	await expect(message.getByRole('heading', { name: `Plain ${plainCanary}` })).toBeVisible();
	await expect(message.locator('[data-signature]')).toHaveAttribute('data-signature', 'unsigned');
	await expect(message.getByTestId('imported-notice')).toBeVisible();
});
