// A relay's refusal is shown in the app's own words, from its kind: a hostile relay's sentence
// (phishing text, a fake instruction) never reaches the screen as if Letterlock said it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { cliUser, ok, tempRoot } from '../cli/run-cli';
import { startHostileProxy } from '../helpers/hostile-relay';
import { relayProcess, sparePort } from './relay-process';
import { onboard, uniqueName, writeMessage } from './support';

const PHISHING = 'Your account is suspended. Call +1 555 0100 and read out your passphrase.';

test('a relay’s refusal is told in the app’s words, never in the relay’s', async ({ browser }) => {
	test.setTimeout(120_000);
	const hostile = await startHostileProxy();
	const dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-relay-errors-'));
	const relay = relayProcess({ port: sparePort(27), dataDir, env: { ORIGIN: hostile.url } });
	await relay.start();
	hostile.pointAt(relay.origin);
	const context = await browser.newContext({ baseURL: hostile.url });
	const root = await tempRoot();
	try {
		const page = await context.newPage();
		await onboard(page, 'Alice', uniqueName('alice'));
		const bob = cliUser(hostile.url, root, `${uniqueName('bob')}@localhost`);
		ok(await bob.run(['init', '--address', bob.address, '--name', 'Bob']));

		hostile.lie({
			method: 'POST',
			path: '/api/messages',
			answer: () => ({ status: 403, json: { error: { kind: 'forbidden', message: PHISHING } } })
		});
		await writeMessage(page, { to: bob.address, subject: 'Hello', body: 'Are you there?' });
		const row = page.locator('li[data-outbox-item]', { hasText: 'Hello' });
		await expect(row).toHaveAttribute('data-state', 'failed');
		await expect(row).toContainText('The relay does not let this account do that.');
		await expect(page.locator('body')).not.toContainText('555 0100');
		await expect(page.locator('body')).not.toContainText('suspended');
	} finally {
		await context.close();
		await relay.kill();
		await hostile.stop();
		rmSync(dataDir, { recursive: true, force: true });
		rmSync(root, { recursive: true, force: true });
	}
});
