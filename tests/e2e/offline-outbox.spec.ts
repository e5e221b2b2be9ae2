// The journalist on the train: offline, three messages written and sent; the app shows them
// waiting, keeps them across a reload (where a service worker keeps the app), and once the
// network is back each one arrives exactly once. Run with service workers allowed and blocked
// (Tor Browser has none): the part that needs no service worker must pass in both.
import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { relayPerTest } from './relay-per-test';
import { onboard, serviceWorkerReady, uniqueName, unlock, writeMessage } from './support';

/** Writes three messages to `to` and checks each is queued, not sent; returns their subjects. */
async function writeThreeOffline(page: Page, to: string): Promise<string[]> {
	const subjects = [1, 2, 3].map((n) => `Train note ${n} ${randomUUID()}`);
	for (const subject of subjects) {
		await writeMessage(page, { to, subject, body: `Written offline: ${subject}` });
		await expect(page.getByRole('heading', { name: 'Outbox' })).toBeVisible();
		await expect(
			page.getByRole('status').filter({ hasText: 'waiting in the outbox' })
		).toBeVisible();
	}
	await expectWaiting(page, subjects);
	return subjects;
}

async function expectWaiting(page: Page, subjects: string[]): Promise<void> {
	await page.getByTestId('outbox-link').click();
	for (const subject of subjects) {
		const row = page.locator('li[data-outbox-item]', { hasText: subject });
		await expect(row).toHaveAttribute('data-state', 'queued');
	}
	await expect(page.getByTestId('outbox-link')).toContainText(`(${subjects.length} waiting`);
}

async function expectAllSent(page: Page, subjects: string[]): Promise<void> {
	await page.getByTestId('outbox-link').click();
	for (const subject of subjects) {
		await expect(page.locator('li[data-outbox-item]', { hasText: subject })).toHaveAttribute(
			'data-state',
			'sent',
			{ timeout: 45_000 }
		);
	}
	await expect(page.getByTestId('outbox-link')).not.toContainText('waiting');
}

/** The sender's outbox shows each sent, and the recipient's inbox lists each exactly once. */
async function expectDeliveredOnce(sender: Page, recipient: Page, subjects: string[]) {
	await expectAllSent(sender, subjects);
	await expectEachOnceInInbox(recipient, subjects);
}

async function expectEachOnceInInbox(page: Page, subjects: string[]): Promise<void> {
	await page.getByRole('link', { name: 'Inbox' }).click();
	for (const subject of subjects) {
		await expect(page.locator('li[data-message-id]', { hasText: subject })).toHaveCount(1, {
			timeout: 45_000
		});
	}
}

for (const serviceWorkers of ['allow', 'block'] as const) {
	test.describe(`service workers: ${serviceWorkers}`, () => {
		// Each test gets its own relay, so it can kill it and count what the relay stored.
		const own = relayPerTest(1);

		async function open(browser: Browser, options: { serviceWorkers?: 'allow' | 'block' } = {}) {
			const context = await own.newContext(browser, options);
			return { context, page: await context.newPage() };
		}

		/** Alice, on the browser under test, and Bob, on an ordinary one, both with an address. */
		async function aliceAndBob(browser: Browser) {
			const { context: aliceContext, page: alicePage } = await open(browser, { serviceWorkers });
			const { page: bobPage } = await open(browser);
			const bob = await onboard(bobPage, 'Bob', uniqueName('bob'));
			const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
			if (serviceWorkers === 'allow') await serviceWorkerReady(alicePage);
			return { aliceContext, alicePage, bobPage, alice, bob };
		}

		test('three messages sent offline arrive exactly once when the network is back', async ({
			browser
		}) => {
			const { aliceContext, alicePage, bobPage, alice, bob } = await aliceAndBob(browser);

			// Alice has written to Bob before, so this device knows his key.
			await writeMessage(alicePage, { to: bob, subject: 'Before the train', body: 'Hi' });
			await expect(
				alicePage.locator('li[data-message-id]', { hasText: 'Before the train' })
			).toBeVisible();

			await aliceContext.setOffline(true);
			await expect(alicePage.getByTestId('offline-banner')).toBeVisible();
			const subjects = await writeThreeOffline(alicePage, bob);

			if (serviceWorkers === 'allow') {
				// The laptop closes and opens again, still offline: the app and the queue are there.
				await alicePage.reload();
				await unlock(alicePage);
				await expect(alicePage.getByTestId('offline-banner')).toBeVisible();
				await expectWaiting(alicePage, subjects);
				// Mail fetched before is read and searched from the device's ciphertext copy.
				await alicePage.getByRole('link', { name: 'Sent' }).click();
				const rows = alicePage.locator('li[data-message-id]');
				await expect(rows.filter({ hasText: 'Before the train' })).toBeVisible();
				await alicePage.getByLabel('Search mail on this device').fill('before TRAIN');
				await expect(rows).toHaveCount(1);
				await alicePage.getByLabel('Search mail on this device').fill('hotel');
				await expect(rows).toHaveCount(0);
			} else {
				await expect(alicePage.getByTestId('tab-only-banner')).toContainText(
					'queued mail is lost if you close the tab'
				);
			}

			await aliceContext.setOffline(false);
			await expect(alicePage.getByTestId('offline-banner')).toBeHidden();
			await expectDeliveredOnce(alicePage, bobPage, subjects);
			expect(own.relay.messagesFrom(alice)).toBe(4);
		});

		test('the relay dies while the outbox drains; after its restart each message is there once', async ({
			browser
		}) => {
			const { aliceContext, alicePage, bobPage, alice, bob } = await aliceAndBob(browser);

			// Looking Bob up while composing is enough for this device to keep his key.
			await alicePage.getByRole('link', { name: 'Write a message' }).click();
			await alicePage.getByLabel('To').fill(bob);
			await expect(alicePage.locator(`[data-recipient="${bob}"][data-ok="true"]`)).toBeVisible();
			await alicePage.getByLabel('To').fill('');

			await aliceContext.setOffline(true);
			const subjects = await writeThreeOffline(alicePage, bob);

			// The first delivery reaches the relay, which stores it and dies before it can answer.
			let online = false;
			let delivered = 0;
			// Set only once the relay has stored the first letter and died: the outbox row already
			// said "cannot be reached" while offline, so the row alone proves nothing yet.
			let killed = false;
			await aliceContext.route('**/api/messages', async (route) => {
				if (!online) return route.abort('internetdisconnected');
				if (route.request().method() !== 'POST' || delivered++ > 0) return route.continue();
				await route.fetch();
				await own.relay.kill();
				killed = true;
				await route.abort('connectionreset');
			});
			online = true;
			await aliceContext.setOffline(false);
			await expect.poll(() => killed, { timeout: 30_000 }).toBe(true);
			await expect(
				alicePage.locator('li[data-outbox-item]').first().getByText('The relay cannot be reached')
			).toBeVisible();
			expect(own.relay.messagesFrom(alice)).toBe(1);

			await own.relay.start();
			await alicePage.getByRole('button', { name: 'Try to send now' }).click();
			await expectDeliveredOnce(alicePage, bobPage, subjects);
			expect(own.relay.messagesFrom(alice)).toBe(3);
		});

		test('mail the relay refuses for good stops with its reason, to be edited or discarded', async ({
			browser
		}) => {
			const { context: aliceContext, page: alicePage } = await open(browser, { serviceWorkers });
			const alice = await onboard(alicePage, 'Alice', uniqueName('alice'));
			const ghost = `${uniqueName('ghost')}@localhost`;
			await own.relay.importKey(ghost);

			await writeMessage(alicePage, { to: ghost, subject: 'Into the void', body: 'Anyone?' });
			await expect(alicePage.getByRole('heading', { name: 'Outbox' })).toBeVisible();
			const row = alicePage.locator('li[data-outbox-item]', { hasText: 'Into the void' });
			await expect(row).toHaveAttribute('data-state', 'failed');
			await expect(row).toContainText(`There is no account ${ghost} on this relay`);
			await expect(alicePage.getByTestId('outbox-link')).toContainText('1 not sent');

			await row.getByRole('button', { name: 'Edit' }).click();
			await expect(alicePage.getByLabel('To')).toHaveValue(ghost);
			await expect(alicePage.getByLabel('Subject')).toHaveValue('Into the void');
			await expect(alicePage.getByRole('textbox', { name: 'Message', exact: true })).toHaveValue(
				'Anyone?'
			);
			await alicePage.getByRole('button', { name: 'Send', exact: true }).click();
			await expect(row).toHaveAttribute('data-state', 'failed');
			await row.getByRole('button', { name: 'Discard' }).click();
			await expect(row).toHaveCount(0);
			await expect(alicePage.getByTestId('outbox-link')).not.toContainText('not sent');
			// Failed for good means not retried: nothing reached the relay's mailboxes.
			await aliceContext.setOffline(false);
			expect(own.relay.messagesFrom(alice)).toBe(0);
		});
	});
}
