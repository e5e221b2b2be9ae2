// Attachments sent from the browser: attached in the compose form, encrypted block by block
// into the outbox, uploaded before the message, and saved intact by the recipient's browser.
// A reload in the middle of the upload costs only the blocks that were in flight. The first test
// saves through the service worker's stream, the second (no service worker, as in Tor Browser)
// through the origin private file system.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { downloadingRecipient, onboard, uniqueName, unlock } from './support';

const MIB = 1024 * 1024;
const BLOCK = 8 * MIB;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A file of random bytes on disk, as a person would pick it; removed after the test. */
function randomFile(name: string, size: number): { path: string; hash: string; done(): void } {
	const dir = mkdtempSync(join(tmpdir(), 'letterlock-upload-'));
	const data = randomBytes(size);
	const path = join(dir, name);
	writeFileSync(path, data);
	return { path, hash: sha256(data), done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function writeWithAttachment(page: Page, to: string, subject: string, file: string) {
	await page.getByRole('link', { name: 'Write a message' }).click();
	await expect(page.getByRole('heading', { name: 'Write a message' })).toBeVisible();
	await page.getByLabel('To').fill(to);
	await page.getByLabel('Subject').fill(subject);
	await page.getByRole('textbox', { name: 'Message', exact: true }).fill('The file is attached.');
	await page.getByLabel('Attach files').setInputFiles(file);
	await expect(page.locator('[data-attached-file]')).toHaveCount(1);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Opens the one message with `subject` in the inbox, saves `name`; returns the saved file's
 * hash and the URL the browser downloaded it from. */
async function saveFromInbox(page: Page, subject: string, name: string) {
	await page.reload();
	await unlock(page);
	const listed = page.locator('li[data-message-id]', { hasText: subject });
	await expect(listed).toHaveCount(1, { timeout: 30_000 });
	await listed.getByRole('link').click();
	const attachment = page.locator('[data-attachment]', { hasText: name });
	const downloading = page.waitForEvent('download', { timeout: 120_000 });
	await attachment.getByRole('button', { name: 'Save' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toBe(name);
	// A streamed download starts before the first block is decrypted and ends with the last.
	const saved = readFileSync((await download.path())!);
	await expect(attachment.getByRole('status')).toContainText('every block checked', {
		timeout: 60_000
	});
	return { hash: sha256(saved), url: download.url() };
}

test('a 64 MiB file attached in the browser reaches the recipient intact', async ({ browser }) => {
	test.setTimeout(240_000);
	const file = randomFile('video.bin', 64 * MIB);
	const bob = await downloadingRecipient(browser, 'Bob', { serviceWorkers: 'allow' });
	const aliceContext = await browser.newContext();
	try {
		const alice = await aliceContext.newPage();
		await onboard(alice, 'Alice', uniqueName('alice'));
		const subject = `Video ${uniqueName('s')}`;
		await writeWithAttachment(alice, bob.address, subject, file.path);

		await expect(alice.getByRole('heading', { name: 'Outbox' })).toBeVisible({ timeout: 60_000 });
		const item = alice.locator('li[data-outbox-item]');
		await expect(item).toHaveAttribute('data-state', 'sent', { timeout: 120_000 });

		await bob.page.evaluate(() => navigator.serviceWorker.ready);
		const saved = await saveFromInbox(bob.page, subject, 'video.bin');
		expect(saved.hash).toBe(file.hash);
		expect(saved.url).toContain('/attachment-download/');
	} finally {
		file.done();
		await aliceContext.close();
		await bob.context.close();
	}
});

test('a reload in the middle of an upload sends again only the blocks in flight, and the message once', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const blocks = 6;
	const file = randomFile('archive.bin', (blocks - 1) * BLOCK + 12_345);
	const bob = await downloadingRecipient(browser, 'Bob', { serviceWorkers: 'block' });
	// No service worker (as in Tor Browser): the page delivers, and every request it makes can
	// be seen and held here.
	const aliceContext = await browser.newContext({ serviceWorkers: 'block' });
	try {
		// The first two blocks reach the relay; the next ones hang as on a stalled link, until
		// the reload drops them.
		let reloaded = false;
		let putsBefore = 0;
		let putsAfter = 0;
		let stored = 0;
		await aliceContext.route('**/api/blocks/*', async (route) => {
			if (route.request().method() !== 'PUT') return route.continue();
			if (reloaded) {
				putsAfter += 1;
				return route.continue();
			}
			putsBefore += 1;
			if (putsBefore > 2) return; // held: in flight when the page goes away
			await route.continue();
		});
		aliceContext.on('response', (response) => {
			const request = response.request();
			const block = new URL(request.url()).pathname.startsWith('/api/blocks/');
			if (block && request.method() === 'PUT' && response.ok() && !reloaded) stored += 1;
		});
		const alice = await aliceContext.newPage();
		await onboard(alice, 'Alice', uniqueName('alice'));
		const subject = `Archive ${uniqueName('s')}`;
		await writeWithAttachment(alice, bob.address, subject, file.path);

		await expect(alice.getByTestId('upload-progress')).toBeVisible({ timeout: 60_000 });
		await expect.poll(() => putsBefore, { timeout: 60_000 }).toBeGreaterThan(2);
		await expect.poll(() => stored).toBe(2);
		// Counted as "after" from the moment the new document replaces the old one: a request the
		// old page started at the last moment is still one of the held ones.
		alice.once('framenavigated', () => (reloaded = true));
		await alice.reload();
		await unlock(alice);
		await alice.getByRole('link', { name: /Outbox/ }).click();
		const item = alice.locator('li[data-outbox-item]');
		await expect(item).toHaveAttribute('data-state', 'sent', { timeout: 120_000 });

		// The two blocks the relay had are not sent again; the rest (held ones included) once.
		expect(putsAfter).toBe(blocks - 2);
		const saved = await saveFromInbox(bob.page, subject, 'archive.bin');
		expect(saved.hash).toBe(file.hash);
		expect(saved.url).toMatch(/^blob:/);
	} finally {
		file.done();
		await aliceContext.close();
		await bob.context.close();
	}
});
