// Who reads a letter, and who learns that it was read, in the browser. A mailing list's members
// (whom the relay names) show with their keys before the letter goes, and a change of members
// stops it like a changed key. Opening a stranger's letter whose To is full of tracker addresses
// asks no one about them: the page goes through a hostile proxy that records every request.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Request } from '@playwright/test';
import { RelayClient } from '../../src/lib/client/relay-client';
import { cliUser, ok, tempRoot, type CliUser } from '../cli/run-cli';
import { naming, startHostileProxy } from '../helpers/hostile-relay';
import { letterWriter } from '../helpers/letter-writer';
import { relayProcess, sparePort } from './relay-process';
import { onboard, uniqueName, unlock, writeMessage } from './support';

const fingerprintOf = (user: CliUser): string =>
	JSON.parse(readFileSync(join(user.home, 'identity.json'), 'utf8')).fingerprint;

async function inboxOf(user: CliUser): Promise<{ id: string; subject: string }[]> {
	return JSON.parse(ok(await user.run(['list', '--json'])));
}

test('compose shows a list’s members with their keys, and a change of members stops the letter', async ({
	page,
	baseURL
}) => {
	test.setTimeout(180_000);
	await onboard(page, 'Alice', uniqueName('alice'));
	const root = await tempRoot();
	const [owner, bob, carol, dave] = ['olive', 'bob', 'carol', 'dave'].map((name) =>
		cliUser(baseURL!, root, `${uniqueName(name)}@localhost`)
	) as [CliUser, CliUser, CliUser, CliUser];
	for (const user of [owner, bob, carol, dave]) {
		ok(await user.run(['init', '--address', user.address, '--name', user.address]));
	}
	// The list's owner keeps it on the relay; to a sender, a member the owner adds and one the
	// relay slips in look the same, so both must stop the next letter.
	const { token } = JSON.parse(readFileSync(join(owner.home, 'session.json'), 'utf8'));
	const asOwner = new RelayClient(baseURL!, { token });
	const list = `${uniqueName('team')}@localhost`;
	await asOwner.putList(list, [bob.address, carol.address]);
	// Naming someone on a list only invites them; mail reaches those who accept.
	const accept = async (member: CliUser) => ok(await member.run(['lists', 'accept', list]));
	await accept(bob);
	await accept(carol);

	await page.getByRole('link', { name: 'Write a message' }).click();
	await page.getByLabel('To').fill(list);
	await page.getByLabel('Subject').focus();
	const members = page.getByTestId('list-members');
	await expect(members).toContainText(`${list} is a mailing list of 2 people`);
	for (const member of [bob, carol]) {
		await expect(members.locator(`[data-address="${member.address}"]`)).toHaveAttribute(
			'data-fingerprint',
			fingerprintOf(member)
		);
	}
	await page.getByLabel('Subject').fill('First');
	await page.getByRole('textbox', { name: 'Message', exact: true }).fill('To the two of you.');
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible();

	await asOwner.putList(list, [bob.address, carol.address, dave.address]);
	await accept(dave);
	await writeMessage(page, { to: list, subject: 'Second', body: 'Who reads this?' });
	const warning = page.getByTestId('list-change-warning');
	await expect(warning).toContainText(`The members of the mailing list ${list} changed.`);
	await expect(warning.getByTestId('list-added')).toHaveText(dave.address);
	await expect(
		page.getByText('Nothing was sent. Fix the recipients marked above first.')
	).toBeVisible();
	expect(await inboxOf(dave)).toEqual([]);

	// Alice looks, accepts Dave, and sees his key before the letter goes.
	await warning.getByRole('button', { name: 'Accept the new members' }).click();
	await expect(members.locator(`[data-address="${dave.address}"]`)).toHaveAttribute(
		'data-fingerprint',
		fingerprintOf(dave)
	);
	await page.getByRole('button', { name: 'Send', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible();
	await expect
		.poll(async () => (await inboxOf(dave)).map((entry) => entry.subject), { timeout: 60_000 })
		.toEqual(['Second']);
});

test('opening a stranger’s letter full of tracker addresses asks no one about them', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const trackers = [
		'opened-bob-123@tracker.example',
		'pixel-bob@tracker.example',
		'cc-bob@tracker.example'
	];
	// The relay names the proxy as its origin, so sign-in challenges made for it still hold.
	const proxy = await startHostileProxy();
	const dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-readers-'));
	const relay = relayProcess({ port: sparePort(7), dataDir, env: { ORIGIN: proxy.url } });
	await relay.start();
	proxy.pointAt(relay.origin);
	const context = await browser.newContext({ baseURL: proxy.url });
	try {
		const page = await context.newPage();
		const seen: string[] = [];
		const record = (request: Request) =>
			seen.push(`${decodeURIComponent(request.url())} ${request.postData() ?? ''}`.toLowerCase());
		page.on('request', record);
		const bob = await onboard(page, 'Bob', uniqueName('bob'));
		const eve = await letterWriter(proxy.url, `${uniqueName('eve')}@localhost`);
		const subject = `Did you get this? ${uniqueName('s')}`;
		const mark = proxy.requests.length;
		const pageMark = seen.length;
		await eve.write(bob, { to: [bob, trackers[0]!, trackers[1]!], cc: [trackers[2]!], subject });
		const named = [eve.address, ...trackers];
		const pageNamed = () =>
			seen.slice(pageMark).filter((line) => named.some((address) => line.includes(address)));

		// Listed as it arrives, opened, and opened again after unlocking anew.
		const open = async () => {
			await page.locator('li[data-message-id]', { hasText: subject }).getByRole('link').click();
			await expect(page.getByRole('heading', { name: subject })).toBeVisible();
		};
		await open();
		expect(naming(proxy.since(mark), named)).toEqual([]);
		expect(pageNamed()).toEqual([]);
		const message = page.getByRole('article');
		await expect(message.locator('[data-signature]')).toHaveAttribute(
			'data-signature',
			'unknown-key'
		);
		await expect(message.locator('[data-signature]')).toContainText(
			'Signed by a key you do not know yet'
		);
		await expect(message.locator(`.to [data-address="${trackers[0]}"]`)).toContainText(
			'key not looked up'
		);
		await page.reload();
		await unlock(page);
		await open();
		await expect(message.locator('[data-signature]')).toHaveAttribute(
			'data-signature',
			'unknown-key'
		);
		expect(naming(proxy.since(mark), named)).toEqual([]);
		expect(pageNamed()).toEqual([]);

		// Bob chooses to look the sender up: the signature is checked, the trackers still unasked.
		// The relay first says "too many lookups, wait a second": the lookup waits, then goes on.
		proxy.lie({
			method: 'GET',
			path: `/api/keys/${eve.address}`,
			times: 1,
			answer: () => ({
				status: 429,
				headers: { 'retry-after': '1' },
				json: {
					error: {
						kind: 'rate-limited',
						message: 'Too many key lookups from your network; try again in 1 second.'
					}
				}
			})
		});
		await message.getByRole('button', { name: 'Look up the sender’s key' }).click();
		await expect(message.locator('[data-signature]')).toHaveAttribute('data-signature', 'valid');
		await expect(message.locator(`.from [data-address="${eve.address}"]`)).toHaveAttribute(
			'data-fingerprint',
			eve.fingerprint
		);
		expect(naming(proxy.since(mark), trackers)).toEqual([]);
		expect(naming(proxy.since(mark), [eve.address]).length).toBeGreaterThan(1);
		await expect(message.getByText(/could not be looked up/)).toHaveCount(0);
	} finally {
		await context.close();
		await relay.kill();
		await proxy.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
});
