// New mail is pushed: with polling set to ten minutes, a message another person sends appears in
// the open inbox by itself, through the relay's server-sent events. The browser notification is
// off until turned on, and then says only "New message" unless the person chooses otherwise.
import { expect, test } from '@playwright/test';
import { cliUser, ok, tempRoot } from '../cli/run-cli';
import { onboard, uniqueName, unlock } from './support';

test('a message from someone else appears without reload, long before the next poll', async ({
	page,
	baseURL
}) => {
	test.setTimeout(120_000);
	await page.addInitScript(() => localStorage.setItem('letterlock.pollMs', String(10 * 60_000)));
	const streamOpened = page.waitForResponse(
		(response) => /\/events\?ticket=/.test(response.url()) && response.status() === 200,
		{ timeout: 60_000 }
	);
	const alice = await onboard(page, 'Alice', uniqueName('alice'));
	await streamOpened;

	const root = await tempRoot();
	const bob = cliUser(baseURL!, root, `${uniqueName('bob')}@localhost`);
	ok(await bob.run(['init', '--address', bob.address, '--name', 'Bob']));
	const subject = `Pushed ${uniqueName('s')}`;
	ok(await bob.run(['send', '--to', alice, '--subject', subject, '--body', 'Hello, Alice.']));
	await expect(page.locator('li[data-message-id]', { hasText: subject })).toBeVisible({
		timeout: 30_000
	});
});

test('the new-mail notification is off by default and shows no content unless chosen', async ({
	page,
	context
}) => {
	await onboard(page, 'Carol', uniqueName('carol'));
	await page.getByRole('link', { name: 'Settings' }).click();
	const toggle = page.getByLabel('Notify me of new mail while Letterlock is in the background');
	const nothing = page.getByRole('radio', { name: 'Only “New message”' });
	const details = page.getByRole('radio', { name: /The sender and subject/ });
	await expect(toggle).not.toBeChecked();
	await expect(nothing).toBeChecked();
	await expect(details).not.toBeChecked();

	await context.grantPermissions(['notifications']);
	await toggle.check();
	await expect(toggle).toBeChecked();
	await page.reload();
	await unlock(page);
	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(toggle).toBeChecked();
	await expect(nothing).toBeChecked();
});
