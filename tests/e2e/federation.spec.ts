// Mail to someone on another relay, in the browser: the app's relay (one.example, the built app
// in its own process) fetches the recipient's key from two.example's relay, delivers the letter
// there, and the sender's copy in Sent says when two.example accepted it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { expect, test } from '@playwright/test';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, makeKey, signIn } from '../relay/support';
import { relayProcess, sparePort, type RelayProcess } from './relay-process';
import { PASSPHRASE } from './support';

let dataDir: string;
let one: RelayProcess;
let two: RunningRelay;
const peers = new Map<string, string>();

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-federation-'));
	two = await startRelay({
		backend: 'sqlite',
		domain: 'two.example',
		federation: { peers, pollMs: 200 }
	});
	one = relayProcess({
		port: sparePort(1),
		dataDir,
		env: {
			LETTERLOCK_DOMAIN: 'one.example',
			LETTERLOCK_PEERS: `two.example=${two.url}`,
			LETTERLOCK_DISCOVERY: 'peers'
		}
	});
	peers.set('one.example', one.origin);
	await one.start();
});

test.afterAll(async () => {
	await one?.kill();
	await two?.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

test('alice on one.example writes to bob on two.example and sees it delivered', async ({
	browser
}) => {
	const bobKey = await makeKey('bob@two.example');
	const registered = await api(two, 'POST', '/api/accounts', {
		json: { address: 'bob@two.example', publicKey: bobKey.publicKey }
	});
	expect(registered.status).toBe(201);

	const page = await (await browser.newContext({ baseURL: one.origin })).newPage();
	await page.goto('/');
	await expect(page.getByText('@one.example', { exact: true })).toBeVisible();
	await page.getByLabel('Your name').fill('Alice');
	await page.getByLabel('Address').fill('alice');
	await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
	await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
	await page.getByRole('button', { name: 'Create my address' }).click();
	await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible({ timeout: 30_000 });

	await page.getByRole('link', { name: 'Write a message' }).click();
	await expect(page.getByRole('heading', { name: 'Write a message' })).toBeVisible();
	await page.getByLabel('To').fill('bob@two.example');
	await page.getByLabel('Subject').fill('Across relays');
	await page
		.getByRole('textbox', { name: 'Message', exact: true })
		.fill('Hello Bob, from one.example.');
	await page.getByRole('button', { name: 'Send', exact: true }).click();

	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible();
	const row = page.locator('li[data-message-id]', { hasText: 'Across relays' });
	// The key came from bob's own relay, through alice's.
	await expect(row.locator('[data-address="bob@two.example"]')).toHaveAttribute(
		'data-fingerprint',
		bobKey.fingerprint
	);
	await row.getByRole('link', { name: 'Across relays' }).click();
	const message = page.getByRole('article');
	await expect(message.getByTestId('deliveries')).toContainText(/Delivered to two\.example at/, {
		timeout: 30_000
	});

	// Bob's relay has it, and it opens with bob's key.
	const token = await signIn(two, 'bob@two.example', bobKey);
	const listed = await api(two, 'GET', '/api/mailboxes/bob@two.example/messages', { token });
	expect(listed.body.messages).toHaveLength(1);
	expect(listed.body.messages[0].from).toBe('alice@one.example');
	const stored = await api(
		two,
		'GET',
		`/api/mailboxes/bob@two.example/messages/${listed.body.messages[0].id}`,
		{ token }
	);
	const { data } = await openpgp.decrypt({
		message: await openpgp.readMessage({ armoredMessage: stored.body.message }),
		decryptionKeys: bobKey.privateKey
	});
	expect(data).toContain('Hello Bob, from one.example.');
});
