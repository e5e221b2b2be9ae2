// Proof of work in the browser: writing to someone who does not know you yet, on a relay that
// asks for stamps, shows the work in the compose form; the letter arrives, or nothing is sent
// when the writer stops it. Spare port 1 is shared with offline-outbox.spec.ts: files run one
// after the other and each relay is gone when its test ends.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { relayPerTest, type RelayPerTest } from './relay-per-test';
import { onboard, uniqueName } from './support';

/** Alice and Bob, each in a browser profile of their own on the test's relay. */
async function strangers(own: RelayPerTest, browser: Browser) {
	const alicePage = await (await own.newContext(browser)).newPage();
	const bobPage = await (await own.newContext(browser)).newPage();
	const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	return { alicePage, bobPage, alice, bob };
}

/** Opens the compose form and starts recording every text its status line shows, however
 * briefly; then writes to `to` and presses Send. */
async function sendWatched(
	page: Page,
	to: string,
	subject: string
): Promise<() => Promise<string[]>> {
	await page.getByRole('link', { name: 'Write a message' }).click();
	await expect(page.getByRole('heading', { name: 'Write a message' })).toBeVisible();
	await page.evaluate(() => {
		const seen: string[] = [];
		(window as unknown as { statusSeen: string[] }).statusSeen = seen;
		const status = document.querySelector('form [role="status"]')!;
		new MutationObserver(() => seen.push(status.textContent?.trim() ?? '')).observe(status, {
			subtree: true,
			characterData: true,
			childList: true
		});
	});
	await page.getByLabel('To').fill(to);
	await page.getByLabel('Subject').fill(subject);
	await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Hello Bob');
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	return () => page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen);
}

const PROVING = /^Proving this is not bulk mail… \d+%$/;

test.describe('a relay asking strangers for 16 bits', () => {
	// About 65,000 hashes on average: a moment in Chromium, real work all the same.
	const own = relayPerTest(1, { powBits: 16 });

	test('a first letter to a stranger is stamped with visible progress and arrives', async ({
		browser
	}) => {
		const { alicePage, bobPage, alice, bob } = await strangers(own, browser);
		const seen = await sendWatched(alicePage, bob, 'We have not met');
		await expect(alicePage.getByRole('heading', { name: 'Sent' })).toBeVisible({
			timeout: 45_000
		});
		await expect(
			alicePage.locator('li[data-message-id]', { hasText: 'We have not met' })
		).toBeVisible();
		expect(await seen()).toContainEqual(expect.stringMatching(PROVING));
		expect(own.relay.messagesFrom(alice)).toBe(1);

		await bobPage.getByRole('link', { name: 'Inbox' }).click();
		await expect(
			bobPage.locator('li[data-message-id]', { hasText: 'We have not met' })
		).toHaveCount(1, { timeout: 45_000 });
	});
});

test.describe('a relay asking strangers for 28 bits', () => {
	// Hundreds of millions of hashes: far more than the test waits, so it can be stopped.
	const own = relayPerTest(1, { powBits: 28 });

	test('stopping the work sends nothing and keeps the letter in the form', async ({ browser }) => {
		const { alicePage, alice, bob } = await strangers(own, browser);
		await sendWatched(alicePage, bob, 'Never mind');
		await expect(alicePage.getByText(PROVING)).toBeVisible({ timeout: 30_000 });
		await expect(alicePage.getByRole('progressbar', { name: 'Proof of work done' })).toBeVisible();
		await alicePage.getByRole('button', { name: 'Stop sending' }).click();
		await expect(alicePage.getByRole('alert')).toHaveText(
			'Nothing was sent: you stopped it. Your draft is kept; send it when you like.'
		);
		await expect(alicePage.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
		await expect(alicePage.getByLabel('Subject')).toHaveValue('Never mind');
		expect(own.relay.messagesFrom(alice)).toBe(0);
	});
});
