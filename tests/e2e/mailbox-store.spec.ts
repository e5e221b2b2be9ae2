// Letters already on the device are listed from the sealed summary store after unlocking again:
// the relay (a recording proxy in front of it) is asked only for what is newer, and no letter
// is fetched again. The list is virtualised, so only the rows near view are in the page, and
// j/k still walk through every letter, the list scrolling along.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHostileProxy } from '../helpers/hostile-relay';
import { letterWriter } from '../helpers/letter-writer';
import { relayProcess, sparePort } from './relay-process';
import { onboard, uniqueName, unlock } from './support';

const LETTERS = 40;

test('after unlocking again, the list comes from the device and no letter is fetched again', async ({
	browser
}) => {
	test.fixme(
		true,
		'the listing loop starts before the stored mail is loaded; fixed on branch scale, not merged yet'
	);
	test.setTimeout(240_000);
	const proxy = await startHostileProxy();
	const dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-mailbox-store-'));
	const relay = relayProcess({ port: sparePort(25), dataDir, env: { ORIGIN: proxy.url } });
	await relay.start();
	proxy.pointAt(relay.origin);
	const context = await browser.newContext({ baseURL: proxy.url });
	try {
		const page = await context.newPage();
		const bob = await onboard(page, 'Bob', uniqueName('bob'));
		const eve = await letterWriter(proxy.url, `${uniqueName('eve')}@localhost`);
		const subject = (n: number) => `Letter number ${String(n).padStart(2, '0')}`;
		for (let n = 1; n <= LETTERS; n++) await eve.write(bob, { to: [bob], subject: subject(n) });

		const rows = page.locator('li[data-message-id]');
		await expect(rows.first()).toContainText(subject(LETTERS), { timeout: 60_000 });
		await expect(page.getByRole('status').filter({ hasText: 'Fetching' })).toHaveCount(0, {
			timeout: 60_000
		});
		// Virtualised: not every letter is in the page.
		expect(await rows.count()).toBeLessThan(LETTERS);

		await page.reload();
		const mark = proxy.requests.length;
		await unlock(page);
		await expect(rows.first()).toContainText(subject(LETTERS));
		const later = await eve.write(bob, { to: [bob], subject: 'Written while away' });
		await expect(rows.first()).toContainText('Written while away', { timeout: 30_000 });

		const mailbox = `/api/mailboxes/${encodeURIComponent(bob)}/messages`;
		const since = proxy.since(mark).map((request) => request.path);
		const fetched = since.filter((path) => path.startsWith(`${mailbox}/`));
		expect(fetched).toEqual([`${mailbox}/${later}`]);
		// The inbox is listed only after the stored cursor (Sent, still empty, has cursor 0).
		const listings = since.filter((path) => path.startsWith(`${mailbox}?folder=inbox`));
		expect(listings.length).toBeGreaterThan(0);
		for (const listing of listings) expect(listing).toMatch(/[?&]after=[1-9]/);

		// j walks down the whole list; the row being read stays in view.
		await rows.first().getByRole('link').click();
		for (let n = 0; n < LETTERS; n++) await page.keyboard.press('j');
		await expect(page.getByRole('heading', { level: 2, name: subject(1) })).toBeVisible();
		await expect(page.locator('li[data-message-id].selected')).toBeInViewport();
		await expect(page.locator('li[data-message-id].selected')).toContainText(subject(1));
	} finally {
		await context.close();
		await relay.kill();
		await proxy.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
});
