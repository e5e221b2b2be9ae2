// A returning person on a slow link (issue 15 point 5): the letters already on the device are
// listed as soon as the key is unlocked, whatever the relay does meanwhile, because the session
// kept from the last visit spares signing in again; and a kept session the relay has ended signs
// in again by itself. The relay sits behind the hostile proxy, which holds its answers back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHostileProxy } from '../helpers/hostile-relay';
import { relayProcess, sparePort } from './relay-process';
import { onboard, uniqueName, unlock, writeMessage } from './support';

test('the inbox lists the letters on this device before the relay answers, and a session the relay ended signs in again', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const proxy = await startHostileProxy();
	const dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-first-load-'));
	// The relay names the proxy as its origin, so sign-in challenges made for it still hold.
	const relay = relayProcess({ port: sparePort(23), dataDir, env: { ORIGIN: proxy.url } });
	await relay.start();
	proxy.pointAt(relay.origin);
	// Tor Browser has no service worker; every request of the page goes to the proxy.
	const reader = await browser.newContext({ baseURL: proxy.url, serviceWorkers: 'block' });
	const writer = await browser.newContext({ baseURL: proxy.url, serviceWorkers: 'block' });
	try {
		const page = await reader.newPage();
		const bob = await onboard(page, 'Bob', uniqueName('bob'));
		const carol = await writer.newPage();
		await onboard(carol, 'Carol', uniqueName('carol'));
		const first = `Already here ${uniqueName('s')}`;
		await writeMessage(carol, { to: bob, subject: first, body: 'Read me offline.' });
		await expect(page.getByRole('link', { name: first })).toBeVisible({ timeout: 30_000 });

		// Bob comes back to the tab (closed, not locked) while the relay is slow: it answers
		// nothing until the inbox has been checked.
		await page.reload();
		let release = () => {};
		const released = new Promise<void>((resolve) => (release = resolve));
		const withdraw = proxy.lie({ path: /^\/api\//, answer: () => released.then(() => undefined) });
		const mark = proxy.requests.length;
		await unlock(page);
		await expect(page.getByRole('link', { name: first })).toBeVisible();
		// No sign-in was needed: the session kept on the device was taken up.
		const signIns = () =>
			proxy.since(mark).filter((request) => request.path.startsWith('/api/auth/'));
		expect(signIns()).toEqual([]);
		release();
		withdraw();

		// The relay has ended that session meanwhile (say, from another device): its next answer
		// is a 401, after which the app signs in again and new mail keeps arriving.
		proxy.lie({
			method: 'GET',
			path: /^\/api\/mailboxes\/[^/]+\/messages$/,
			times: 1,
			answer: () => ({ status: 401, json: { error: 'Your session expired; sign in again.' } })
		});
		const second = `Arrived later ${uniqueName('s')}`;
		await writeMessage(carol, { to: bob, subject: second, body: 'After the session ended.' });
		await expect(page.getByRole('link', { name: second })).toBeVisible({ timeout: 30_000 });
		expect(signIns().map((request) => `${request.method} ${request.path}`)).toContain(
			'POST /api/auth/sessions'
		);
	} finally {
		await reader.close();
		await writer.close();
		await relay.kill();
		await proxy.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
});
