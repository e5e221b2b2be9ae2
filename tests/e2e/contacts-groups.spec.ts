// The address book: a group kept on this device fills To with its members and the message is one
// ciphertext that each of them reads; a contact keeps the name given to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { RelayClient } from '../../src/lib/client/relay-client';
import { cliUser, ok, tempRoot } from '../cli/run-cli';
import { onboard, uniqueName, unlock, writeMessage } from './support';

type CliPerson = ReturnType<typeof cliUser>;

/** Bob and Carol, with accounts made from the command line. */
async function twoCliPeople(baseURL: string): Promise<[CliPerson, CliPerson]> {
	const root = await tempRoot();
	const people = ['bob', 'carol'].map((name) =>
		cliUser(baseURL, root, `${uniqueName(name)}@localhost`)
	) as [CliPerson, CliPerson];
	await Promise.all(
		people.map(async (user) =>
			ok(await user.run(['init', '--address', user.address, '--name', user.address]))
		)
	);
	return people;
}

/** The messages with this subject in `user`'s inbox, as the command line lists them. */
async function receivedBy(user: CliPerson, subject: string) {
	const entries = JSON.parse(ok(await user.run(['list', '--json']))) as {
		id: string;
		subject: string;
	}[];
	return entries.filter((entry) => entry.subject === subject);
}

test('a group writes to all its members at once, and contacts keep their names', async ({
	page,
	baseURL
}) => {
	test.setTimeout(120_000);
	await onboard(page, 'Alice', uniqueName('alice'));
	const [bob, carol] = await twoCliPeople(baseURL!);

	await page.getByRole('link', { name: 'Contacts' }).click();
	await page.getByLabel('Group name').fill('Book club');
	await page
		.getByLabel('Members', { exact: true })
		.fill(`${bob.address}, ${carol.address.toUpperCase()}`);
	await page.getByRole('button', { name: 'Save group' }).click();
	await expect(page.getByText('Saved the group “Book club” with 2 people.')).toBeVisible();

	await page.getByRole('link', { name: 'Write a message' }).click();
	await page.getByLabel('Add a group').selectOption({ label: 'Book club (2)' });
	await expect(page.getByLabel('To')).toHaveValue(`${bob.address}, ${carol.address}`);
	const subject = `Next book ${uniqueName('s')}`;
	await page.getByLabel('Subject').fill(subject);
	await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Middlemarch?');
	await page.getByRole('button', { name: 'Send', exact: true }).click();

	const received = (user: CliPerson) => receivedBy(user, subject);
	await expect.poll(async () => (await received(bob)).length, { timeout: 60_000 }).toBe(1);
	const id = (await received(carol))[0]?.id;
	expect(id).toBeDefined();
	expect((await received(bob))[0]?.id).toBe(id);
	expect(ok(await bob.run(['raw', id!]))).toBe(ok(await carol.run(['raw', id!])));

	await page.getByRole('link', { name: 'Contacts' }).click();
	const name = page.getByLabel(`Name for ${bob.address}`);
	await name.fill('Bob, from book club');
	await page
		.locator(`[data-contact="${bob.address}"]`)
		.getByRole('button', { name: 'Save name' })
		.click();
	await expect(page.getByText('Saved as “Bob, from book club”.')).toBeVisible();
	await page.reload();
	await unlock(page);
	await page.getByRole('link', { name: 'Contacts' }).click();
	await expect(page.getByLabel(`Name for ${bob.address}`)).toHaveValue('Bob, from book club');
});

test('a mailing list made in the browser delivers one ciphertext to each member who accepted', async ({
	page,
	baseURL
}) => {
	test.setTimeout(120_000);
	const alice = await onboard(page, 'Alice', uniqueName('alice'));
	const [bob, carol] = await twoCliPeople(baseURL!);
	const list = `${uniqueName('team')}@localhost`;

	await page.getByRole('link', { name: 'Contacts' }).click();
	await page.getByLabel('List address').fill(list);
	await page.getByRole('button', { name: 'Show its members' }).click();
	await expect(page.getByText(`There is no list ${list} yet`)).toBeVisible();
	await page.getByLabel('Members of the list').fill(`${bob.address} nobody@localhost`);
	await page.getByRole('button', { name: 'Save list' }).click();
	await expect(page.getByRole('alert')).toContainText('There is no account nobody@localhost');
	await page.getByLabel('Members of the list').fill(`${carol.address}, ${bob.address}`);
	await page.getByRole('button', { name: 'Save list' }).click();
	const members = [bob.address, carol.address].sort().join(', ');
	await expect(page.getByText(`${list} reaches no one yet`)).toBeVisible();
	await expect(page.getByText(`Invited, no answer yet: ${members}.`)).toBeVisible();
	for (const member of [bob, carol]) ok(await member.run(['lists', 'accept', list]));
	await page.getByRole('button', { name: 'Show its members' }).click();
	await expect(page.getByText(`${list} now reaches 2 people: ${members}.`)).toBeVisible();

	await page.getByRole('link', { name: 'Write a message' }).click();
	await page.getByLabel('To').fill(list);
	await expect(page.getByText(`${list} is a mailing list of 2 people`)).toBeVisible();
	const subject = `Team news ${uniqueName('s')}`;
	await writeMessage(page, { to: list, subject, body: 'We meet at ten.' });

	const received = (user: CliPerson) => receivedBy(user, subject);
	await expect.poll(async () => (await received(bob)).length, { timeout: 60_000 }).toBe(1);
	await expect.poll(async () => (await received(carol)).length, { timeout: 60_000 }).toBe(1);
	const id = (await received(bob))[0]!.id;
	const read = JSON.parse(ok(await carol.run(['read', id, '--look-up', '--json'])));
	expect(read).toMatchObject({ subject, body: 'We meet at ten.', signature: 'valid' });
	expect(ok(await bob.run(['raw', id]))).toBe(ok(await carol.run(['raw', id])));

	// Bob keeps a list of his own and names Alice: she sees the invitation and accepts it.
	const { token } = JSON.parse(readFileSync(join(bob.home, 'session.json'), 'utf8'));
	const bobsList = `${uniqueName('club')}@localhost`;
	await new RelayClient(baseURL!, { token }).putList(bobsList, [alice]);
	await page.getByRole('link', { name: 'Contacts' }).click();
	const invitation = page.locator(`[data-list="${bobsList}"]`);
	await expect(invitation).toContainText(`${bob.address} invites you to ${bobsList}.`);
	await invitation.getByRole('button', { name: 'Accept' }).click();
	await expect(invitation).toContainText(`You receive mail to ${bobsList}`);
	const answers = await new RelayClient(baseURL!, { token }).getList(bobsList);
	expect(answers?.members).toEqual([alice]);
});
