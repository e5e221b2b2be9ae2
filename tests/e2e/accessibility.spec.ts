// Every screen a person meets, checked by axe (WCAG 2.1 A and AA rules: labels, names, roles,
// contrast, landmarks) in both colour schemes, and the everyday path done with a keyboard alone.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DOMAIN, onboard, PASSPHRASE, uniqueName, writeMessage } from './support';

/** Checks the screen in the light and the dark colour scheme (contrast differs). */
async function expectNoViolations(page: Page, screen: string): Promise<void> {
	const found: string[] = [];
	for (const colorScheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme });
		found.push(...(await violations(page, `${screen} (${colorScheme})`)));
	}
	await page.emulateMedia({ colorScheme: null });
	expect(found).toEqual([]);
}

async function violations(page: Page, screen: string): Promise<string[]> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return results.violations.map(
		(violation) =>
			`${screen}: ${violation.id} (${violation.help}) at ${violation.nodes
				.map((node) => `${node.target.join(' ')} [${node.failureSummary ?? ''}]`)
				.join(', ')}`
	);
}

test('welcome, mail, message, compose, contacts, outbox, settings and unlock pass axe', async ({
	page
}) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Create your Letterlock address' })).toBeVisible();
	await expectNoViolations(page, 'welcome');

	const me = await onboard(page, 'Ada', uniqueName('ada'));
	await expectNoViolations(page, 'inbox (empty)');

	await writeMessage(page, { to: me, subject: 'Checklist', body: 'Read me with a screen reader.' });
	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 30_000 });
	await page.getByRole('link', { name: 'Inbox' }).click();
	await page.getByRole('link', { name: 'Checklist' }).click({ timeout: 30_000 });
	await expect(page.getByText('Read me with a screen reader.')).toBeVisible({ timeout: 30_000 });
	await expectNoViolations(page, 'message');

	for (const [link, heading] of [
		['Write a message', 'Write a message'],
		['Contacts', 'Contacts'],
		['Outbox', 'Outbox'],
		['Settings', 'Settings']
	] as const) {
		await page.getByRole('link', { name: link }).first().click();
		await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
		await expectNoViolations(page, heading);
	}

	await page.reload();
	await expect(page.getByRole('heading', { name: 'Unlock your mail' })).toBeVisible();
	await expectNoViolations(page, 'unlock');
});

/** Presses Tab until the focused element is the one named, as a keyboard user would. */
async function tabTo(page: Page, role: 'textbox' | 'button' | 'link', name: string) {
	const target = page.getByRole(role, { name, exact: true });
	for (let presses = 0; presses < 60; presses++) {
		if (await target.evaluate((element) => element === document.activeElement).catch(() => false))
			return;
		await page.keyboard.press('Tab');
	}
	throw new Error(`Tab never reached the ${role} "${name}".`);
}

test('a keyboard alone creates an address, writes a message and reads it', async ({ page }) => {
	const local = uniqueName('kay');
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Create your Letterlock address' })).toBeVisible();
	await tabTo(page, 'textbox', 'Your name');
	await page.keyboard.type('Kay');
	await tabTo(page, 'textbox', 'Address');
	await page.keyboard.type(local);
	await tabTo(page, 'textbox', 'Passphrase');
	await page.keyboard.type(PASSPHRASE);
	await tabTo(page, 'textbox', 'Repeat the passphrase');
	await page.keyboard.type(PASSPHRASE);
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible({ timeout: 30_000 });

	await tabTo(page, 'link', 'Write a message');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Write a message' })).toBeVisible();
	await tabTo(page, 'textbox', 'To');
	await page.keyboard.type(`${local}@${DOMAIN}`);
	await tabTo(page, 'textbox', 'Subject');
	await page.keyboard.type('By keyboard');
	await tabTo(page, 'textbox', 'Message');
	await page.keyboard.type('No mouse was used.');
	await tabTo(page, 'button', 'Send');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible({ timeout: 30_000 });

	await tabTo(page, 'link', 'Inbox');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
	await tabTo(page, 'link', 'By keyboard');
	await page.keyboard.press('Enter');
	await expect(page.getByText('No mouse was used.')).toBeVisible({ timeout: 30_000 });
});
