// Attachments in the browser: a file sent in 8 MiB blocks (from the command line) is saved by
// the recipient's page, block by block, to the disk, intact; a damaged block is named, nothing
// of it is saved, and "Try again" succeeds once the block is whole again.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { cliUser, ok, tempRoot } from '../cli/run-cli';
import { downloadingRecipient, uniqueName } from './support';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function blockFiles(): string[] {
	const root = join(process.env.LETTERLOCK_E2E_DATA!, 'blocks');
	if (!existsSync(root)) return [];
	return readdirSync(root, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
		.map((entry) => join(entry.parentPath, entry.name));
}

test('a 20 MiB attachment is saved intact; a damaged block is named and can be tried again', async ({
	browser,
	baseURL
}) => {
	test.setTimeout(180_000);
	const { context, page, address: bob } = await downloadingRecipient(browser, 'Bob');

	const root = await tempRoot();
	try {
		const alice = cliUser(baseURL!, root, `${uniqueName('alice')}@localhost`);
		ok(await alice.run(['init', '--address', alice.address, '--name', 'Alice']));
		const data = randomBytes(20 * 1024 * 1024 + 777);
		writeFileSync(join(root, 'data.bin'), data);
		const before = new Set(blockFiles());
		const subject = `Numbers ${uniqueName('s')}`;
		ok(
			await alice.run([
				'send',
				'--to',
				bob,
				'--subject',
				subject,
				'--body',
				'Attached.',
				'--attach',
				join(root, 'data.bin')
			])
		);
		const blocks = blockFiles().filter((path) => !before.has(path));
		expect(blocks).toHaveLength(3);

		await page.locator('li[data-message-id]', { hasText: subject }).getByRole('link').click();
		const attachment = page.locator('[data-attachment]', { hasText: 'data.bin' });
		await expect(attachment).toBeVisible();

		const damaged = blocks[1]!;
		const original = readFileSync(damaged);
		const broken = Buffer.from(original);
		broken.writeUInt8(broken.readUInt8(100) ^ 0xff, 100);
		writeFileSync(damaged, broken);
		await attachment.getByRole('button', { name: 'Save' }).click();
		await expect(attachment.getByRole('alert')).toContainText(
			/Block [123] of 3 of data\.bin is damaged/,
			{ timeout: 60_000 }
		);

		writeFileSync(damaged, original);
		const downloading = page.waitForEvent('download', { timeout: 120_000 });
		await attachment.getByRole('button', { name: 'Try again' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toBe('data.bin');
		expect(sha256(readFileSync((await download.path())!))).toBe(sha256(data));
		await expect(attachment.getByRole('status')).toContainText('every block checked');
	} finally {
		rmSync(root, { recursive: true, force: true });
		await context.close();
	}
});
