// Steps the end-to-end tests share, written the way a person would do them.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';

export const DOMAIN = 'localhost';
export const PASSPHRASE = 'quiet harbour lantern 42';

/** A local part no other test in this run uses. */
export function uniqueName(prefix: string): string {
	return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates an identity through the welcome screen and waits for the inbox; returns the address. */
export async function onboard(page: Page, name: string, local: string): Promise<string> {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: 'Create your Letterlock address' })).toBeVisible();
	await expect(page.getByText(`@${DOMAIN}`, { exact: true })).toBeVisible();
	await page.getByLabel('Your name').fill(name);
	await page.getByLabel('Address').fill(local);
	await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
	await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
	await page.getByRole('button', { name: 'Create my address' }).click();
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible({ timeout: 30_000 });
	return `${local}@${DOMAIN}`;
}

/** The full fingerprint the account menu shows for the signed-in identity. */
export async function ownFingerprint(page: Page): Promise<string> {
	const value = await page
		.getByTestId('account-menu')
		.locator('[data-fingerprint]')
		.getAttribute('data-fingerprint');
	expect(value).toMatch(/^[0-9A-F]{40}$/);
	return value!;
}

/** Opens the contact page of `address` from the contacts list, as a person would. */
export async function openContactPage(page: Page, address: string): Promise<void> {
	await page.getByRole('link', { name: 'Contacts' }).click();
	await page.getByLabel("Check someone's key").fill(address);
	await page.getByRole('button', { name: 'Open their page' }).click();
	await expect(page.getByRole('heading', { name: `Check the key of ${address}` })).toBeVisible();
}

export async function writeMessage(
	page: Page,
	message: { to: string; subject: string; body: string }
): Promise<void> {
	await page.getByRole('link', { name: 'Write a message' }).click();
	// The mail page also has a "Message" region: wait for the form before filling by label.
	await expect(page.getByRole('heading', { name: 'Write a message' })).toBeVisible();
	await page.getByLabel('To').fill(message.to);
	await page.getByLabel('Subject').fill(message.subject);
	await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message.body);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Every file under the relay's data directory whose bytes contain `needle`. */
export function relayFilesContaining(needle: string): string[] {
	const root = process.env.LETTERLOCK_E2E_DATA;
	if (!root)
		throw new Error('LETTERLOCK_E2E_DATA is not set; run the tests through playwright.config.ts.');
	return readdirSync(root, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => join(entry.parentPath, entry.name))
		.filter((path) => readFileSync(path).includes(needle));
}

/** Unlocks the identity stored in this browser from the unlock screen. */
export async function unlock(page: Page): Promise<void> {
	await expect(page.getByRole('heading', { name: 'Unlock your mail' })).toBeVisible();
	await page.getByLabel('Passphrase').fill(PASSPHRASE);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible({ timeout: 30_000 });
}

/** Waits until the service worker is active, i.e. the app is kept for offline use. */
export async function serviceWorkerReady(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
}

export interface PageGuard {
	/** Requests to any origin other than the app's, e.g. a tracker or a CDN. */
	foreignRequests: string[];
	/** JavaScript dialogs that opened (alert, confirm, prompt): hostile script ran. */
	dialogs: string[];
	/** Content-Security-Policy violations the page reported. */
	violations(): Promise<string[]>;
	/** True if any hostile payload managed to set the tripwire. */
	tripped(): Promise<boolean>;
}

/** Watches a page from before its first load: every request (of the page, its workers and its
 * frames), every dialog, every CSP violation, and a tripwire that hostile script would set. */
export async function guardPage(page: Page, origin: string): Promise<PageGuard> {
	const foreignRequests: string[] = [];
	const dialogs: string[] = [];
	page.on('request', (request) => {
		const url = request.url();
		if (!url.startsWith(`${origin}/`) && !url.startsWith('about:')) foreignRequests.push(url);
	});
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	await page.addInitScript(() => {
		const store = window as unknown as { __violations: string[] };
		store.__violations = [];
		document.addEventListener('securitypolicyviolation', (event) => {
			store.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
		});
	});
	return {
		foreignRequests,
		dialogs,
		violations: () =>
			page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
		tripped: () => page.evaluate(() => '__pwned' in window)
	};
}

/** A recipient's page without a save dialog (none can be clicked in a test), so the page takes
 * its other paths: the service worker's stream, or the origin private file system, handed to the
 * browser's download. Onboards `name` there; the caller closes the context. */
export async function downloadingRecipient(
	browser: Browser,
	name: string,
	options: { serviceWorkers?: 'allow' | 'block' } = {}
) {
	const context = await browser.newContext({ acceptDownloads: true, ...options });
	await context.addInitScript(() => {
		delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
	});
	const page = await context.newPage();
	const address = await onboard(page, name, uniqueName(name.toLowerCase()));
	return { context, page, address };
}
