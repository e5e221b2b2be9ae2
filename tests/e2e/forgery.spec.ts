// Forgery in the browser: a relay that sends a letter as its login challenge gets no signature
// from the page's key (issue 13, point 1; the client core's own tests are in tests/security).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHostileProxy } from '../helpers/hostile-relay';
import { relayProcess, sparePort } from './relay-process';
import { onboard, PASSPHRASE, uniqueName } from './support';

test('unlocking refuses a letter sent as the login challenge, and nothing is signed', async ({
	browser
}) => {
	const hostile = await startHostileProxy();
	const dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-forgery-'));
	// The relay names the proxy as its origin, as one behind a reverse proxy does: honest
	// challenges stay valid, and only the lie below is one.
	const relay = relayProcess({ port: sparePort(11), dataDir, env: { ORIGIN: hostile.url } });
	await relay.start();
	hostile.pointAt(relay.origin);
	const context = await browser.newContext({ baseURL: hostile.url });
	try {
		const page = await context.newPage();
		const address = await onboard(page, 'Alice', uniqueName('alice'));
		// Locking ends the relay session, so unlocking signs in anew: the relay's chance to lie.
		await page.getByRole('button', { name: 'Lock' }).click();
		await expect(page.getByRole('heading', { name: 'Unlock your mail' })).toBeVisible();

		hostile.lie({
			method: 'POST',
			path: '/api/auth/challenge',
			answer: () => ({
				json: {
					challenge: `Subject: Payment details\nFrom: Alice <${address}>\n\nPlease pay account 666.`,
					expiresAt: new Date(Date.now() + 5 * 60_000).toISOString()
				}
			})
		});
		const mark = hostile.requests.length;
		await page.getByLabel('Passphrase').fill(PASSPHRASE);
		await page.getByRole('button', { name: 'Unlock' }).click();
		await expect(page.getByText(/is not a login challenge/)).toBeVisible();
		await expect(page.getByRole('heading', { name: 'Unlock your mail' })).toBeVisible();
		const asked = hostile.since(mark).map((request) => `${request.method} ${request.path}`);
		expect(asked).toContain('POST /api/auth/challenge');
		expect(asked).not.toContain('POST /api/auth/sessions');
	} finally {
		await context.close();
		await relay.kill();
		await hostile.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
});
