// Proof of work in the browser: writing to someone who does not know you yet, on a relay that
// asks for stamps, shows the work in the compose form and the letter arrives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { relayProcess, sparePort, type RelayProcess } from './relay-process';
import { onboard, uniqueName } from './support';

let relay: RelayProcess;
let dataDir: string;
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-pow-'));
	// About 65,000 hashes on average: a moment in Chromium, real work all the same.
	relay = relayProcess({ port: sparePort(1), dataDir, powBits: 16 });
	await relay.start();
});

test.afterAll(async () => {
	await Promise.all(contexts.map((context) => context.close()));
	await relay.kill();
	rmSync(dataDir, { recursive: true, force: true });
});

/** Every text the compose form's status line shows, however briefly. */
async function recordStatus(page: Page): Promise<() => Promise<string[]>> {
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
	return () => page.evaluate(() => (window as unknown as { statusSeen: string[] }).statusSeen);
}

test('a first letter to a stranger is stamped with visible progress and arrives', async ({
	browser
}) => {
	const open = async () => {
		const context = await browser.newContext({ baseURL: relay.origin });
		contexts.push(context);
		return context.newPage();
	};
	const alicePage = await open();
	const bobPage = await open();
	const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));

	await alicePage.getByRole('link', { name: 'Write a message' }).click();
	await expect(alicePage.getByRole('heading', { name: 'Write a message' })).toBeVisible();
	const seen = await recordStatus(alicePage);
	await alicePage.getByLabel('To').fill(bob);
	await alicePage.getByLabel('Subject').fill('We have not met');
	await alicePage.getByRole('textbox', { name: 'Message', exact: true }).fill('Hello Bob');
	await alicePage.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(alicePage.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 45_000 });
	await expect(
		alicePage.locator('li[data-message-id]', { hasText: 'We have not met' })
	).toBeVisible();
	expect(await seen()).toContainEqual(
		expect.stringMatching(/^Proving this is not bulk mail… \d+%$/)
	);
	expect(relay.messagesFrom(alice)).toBe(1);

	await bobPage.getByRole('link', { name: 'Inbox' }).click();
	await expect(bobPage.locator('li[data-message-id]', { hasText: 'We have not met' })).toHaveCount(
		1,
		{ timeout: 45_000 }
	);
});
