// Verifying keys the way people do it: in person, each scanning the other's code.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { onboard, openContactPage, uniqueName } from './support';

async function newPage(browser: Browser): Promise<Page> {
	return (await browser.newContext()).newPage();
}

/** A picture of the code `page` shows, as a phone camera or a screenshot would capture it. */
async function pictureOfOwnCode(page: Page): Promise<Buffer> {
	return page.getByRole('img', { name: /^Your code/ }).screenshot();
}

function trustOf(page: Page) {
	return page.getByTestId('contact-identity').locator('[data-trust]');
}

test('two people verify each other by scanning each other’s codes', async ({ browser }) => {
	const alicePage = await newPage(browser);
	const bobPage = await newPage(browser);
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));
	const carolPage = await newPage(browser);
	const carol = await onboard(carolPage, 'Carol', uniqueName('carol'));

	await openContactPage(alicePage, bob);
	await openContactPage(bobPage, alice);
	await openContactPage(carolPage, alice);
	await expect(trustOf(alicePage)).toHaveAttribute('data-trust', 'unverified');
	await expect(trustOf(bobPage)).toHaveAttribute('data-trust', 'unverified');

	// Bob holds up Carol's code by mistake: refused, nothing changes.
	await bobPage.getByLabel('Scan from an image').setInputFiles({
		name: 'code.png',
		mimeType: 'image/png',
		buffer: await pictureOfOwnCode(carolPage)
	});
	await expect(
		bobPage.getByRole('alert').filter({ hasText: `That code is for ${carol}, not ${alice}` })
	).toBeVisible();
	await expect(trustOf(bobPage)).toHaveAttribute('data-trust', 'unverified');

	// Each scans the other's code: both sides end up verified.
	await bobPage.getByLabel('Scan from an image').setInputFiles({
		name: 'alice.png',
		mimeType: 'image/png',
		buffer: await pictureOfOwnCode(alicePage)
	});
	await alicePage.getByLabel('Scan from an image').setInputFiles({
		name: 'bob.png',
		mimeType: 'image/png',
		buffer: await pictureOfOwnCode(bobPage)
	});
	for (const page of [alicePage, bobPage]) {
		await expect(trustOf(page)).toHaveAttribute('data-trust', 'verified');
		await expect(page.getByRole('status').filter({ hasText: 'Verified:' })).toBeVisible();
	}

	// A picture with no code in it says so.
	await alicePage.getByLabel('Scan from an image').setInputFiles({
		name: 'blank.png',
		mimeType: 'image/png',
		buffer: await alicePage.getByRole('heading', { level: 1 }).screenshot()
	});
	await expect(alicePage.getByRole('alert').filter({ hasText: 'No code was found' })).toBeVisible();
});
