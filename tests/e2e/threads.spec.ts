// Answering mail: reply all keeps the conversation together (threaded by the protected
// Message-ID and References), reply goes to the sender alone, and a forward can carry the
// original with its sender's signature, which a third person checks with one click.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { onboard, ownFingerprint, uniqueName, writeMessage } from './support';

const row = (page: Page, subject: string) =>
	page.locator('li[data-message-id]', { hasText: subject });

async function newPage(browser: Browser): Promise<Page> {
	return (await browser.newContext()).newPage();
}

async function open(page: Page, subject: string, from?: string): Promise<void> {
	await page.getByRole('link', { name: 'Inbox', exact: true }).click();
	const rows = from ? row(page, subject).filter({ hasText: from }) : row(page, subject);
	await rows.first().getByRole('link').first().click({ timeout: 45_000 });
	await expect(
		page.getByRole('region', { name: 'Message' }).getByRole('heading', { name: subject })
	).toBeVisible();
}

async function send(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 30_000 });
}

test('reply all threads the conversation; a forward’s original signature checks out for a third person', async ({
	browser
}) => {
	test.setTimeout(150_000);
	const [alicePage, bobPage, carolPage] = await Promise.all([
		newPage(browser),
		newPage(browser),
		newPage(browser)
	]);
	const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
	const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));
	const carol = await onboard(carolPage, 'Carol', uniqueName('carol'));
	const alicesKey = await ownFingerprint(alicePage);

	await writeMessage(alicePage, {
		to: `${bob}, ${carol}`,
		subject: 'Lunch plan',
		body: 'Noon at the pier.'
	});
	await expect(alicePage.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 30_000 });

	// Bob answers everyone with "a": recipients, subject and quote are filled in.
	await open(bobPage, 'Lunch plan');
	await bobPage.keyboard.press('a');
	await expect(bobPage.getByRole('heading', { name: 'Write a message' })).toBeVisible();
	await expect(bobPage.getByLabel('To')).toHaveValue(`${alice}, ${carol}`);
	await expect(bobPage.getByLabel('Subject')).toHaveValue('Re: Lunch plan');
	const body = bobPage.getByRole('textbox', { name: 'Message', exact: true });
	await expect(body).toHaveValue(/> Noon at the pier\./);
	await body.press('Control+Home');
	await body.pressSequentially('Sounds good.');
	await send(bobPage);

	// Carol sees both letters as one conversation, though they came from two people.
	await carolPage.getByRole('link', { name: 'Inbox', exact: true }).click();
	const conversation = carolPage.getByRole('list', { name: 'Conversation of 2 messages' });
	await expect(conversation.locator('li[data-message-id]')).toHaveCount(2, { timeout: 45_000 });
	await expect(conversation.locator('li[data-message-id]').nth(0)).toContainText('Lunch plan');
	await expect(conversation.locator('li[data-message-id]').nth(1)).toContainText('Re: Lunch plan');

	// "r" answers the sender alone.
	await open(carolPage, 'Re: Lunch plan');
	await carolPage.keyboard.press('r');
	await expect(carolPage.getByLabel('To')).toHaveValue(bob);
	await expect(carolPage.getByLabel('Subject')).toHaveValue('Re: Lunch plan');

	// Bob forwards Alice's letter to Carol with Alice's signature; Carol checks it.
	await open(bobPage, 'Lunch plan', alice);
	await bobPage.keyboard.press('f');
	await expect(bobPage.getByLabel('Subject')).toHaveValue('Fwd: Lunch plan');
	await expect(bobPage.getByLabel(`Include the original with ${alice}’s signature`)).toBeChecked();
	await bobPage.getByLabel('To').fill(carol);
	await send(bobPage);

	await open(carolPage, 'Fwd: Lunch plan');
	const original = carolPage.getByRole('region', { name: 'Forwarded original' });
	await original.getByRole('button', { name: 'Check the original sender’s signature' }).click();
	await expect(original.getByRole('status')).toContainText(
		`Signed by ${alice} (${alicesKey.match(/.{4}/g)!.join(' ')}) — verified.`,
		{ timeout: 30_000 }
	);
	await expect(original.getByRole('status')).toContainText('“Lunch plan”');
});
