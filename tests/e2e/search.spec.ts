// Searching encrypted mail on the device: mail that arrives is found by a word of its body, by
// its sender and by an attachment's name; the index the browser keeps in IndexedDB holds none
// of those words in the clear.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { cliUser, ok, tempRoot } from '../cli/run-cli';
import { onboard, uniqueName } from './support';

test('received mail is found by body word, sender and attachment name; the stored index is sealed', async ({
	page,
	baseURL
}) => {
	test.setTimeout(120_000);
	const bob = await onboard(page, 'Bob', uniqueName('bob'));
	const root = await tempRoot();
	const alice = cliUser(baseURL!, root, `${uniqueName('alice')}@localhost`);
	const carol = cliUser(baseURL!, root, `${uniqueName('carol')}@localhost`);
	ok(await alice.run(['init', '--address', alice.address, '--name', 'Alice']));
	ok(await carol.run(['init', '--address', carol.address, '--name', 'Carol']));

	const bodyWord = uniqueName('lighthouse').replace('-', '');
	const fileName = `${uniqueName('harbourplan')}.pdf`;
	writeFileSync(join(root, fileName), 'not really a pdf');
	const fromAlice = `Plans ${uniqueName('s')}`;
	const fromCarol = `Lunch ${uniqueName('s')}`;
	ok(
		await alice.run([
			'send',
			'--to',
			bob,
			'--subject',
			fromAlice,
			'--body',
			`Meet at the ${bodyWord} at noon.`,
			'--attach',
			join(root, fileName)
		])
	);
	ok(await carol.run(['send', '--to', bob, '--subject', fromCarol, '--body', 'Soup or salad?']));

	const rows = page.locator('li[data-message-id]');
	await expect(rows.filter({ hasText: fromAlice })).toBeVisible();
	await expect(rows.filter({ hasText: fromCarol })).toBeVisible();

	const search = page.getByLabel('Search mail on this device');
	const expectOnly = async (query: string, subject: string) => {
		await search.fill(query);
		await expect(rows).toHaveCount(1);
		await expect(rows.first()).toContainText(subject);
	};
	await expectOnly(bodyWord.toUpperCase(), fromAlice);
	await expectOnly(carol.address, fromCarol);
	await expectOnly(fileName, fromAlice);
	await expectOnly(fileName.slice(0, 8), fromAlice);
	await search.fill(`${bodyWord} salad`);
	await expect(page.getByText('No mail in Inbox matches')).toBeVisible();

	// What IndexedDB holds of the index: every record as text, bytes read as Latin-1.
	const stored = await page.evaluate(async () => {
		const database = await new Promise<IDBDatabase>((resolve, reject) => {
			const opening = indexedDB.open('letterlock');
			opening.onsuccess = () => resolve(opening.result);
			opening.onerror = () => reject(opening.error);
		});
		const all = (name: string) =>
			new Promise<unknown[]>((resolve, reject) => {
				const request = database.transaction(name).objectStore(name).getAll();
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
		const asText = (value: unknown): string =>
			value instanceof Uint8Array
				? String.fromCharCode(...value)
				: JSON.stringify(value, (_, inner) =>
						inner instanceof Uint8Array ? String.fromCharCode(...inner) : inner
					);
		const entries = await all('searchEntries');
		return {
			count: entries.length,
			text: [...entries, ...(await all('searchKeys'))].map(asText).join('\n').toLowerCase()
		};
	});
	expect(stored.count).toBeGreaterThanOrEqual(2);
	for (const word of [bodyWord, 'harbourplan', 'lunch', 'salad', 'noon', 'carol']) {
		expect(stored.text).not.toContain(word.toLowerCase());
	}
});
