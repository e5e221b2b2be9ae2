// Issue 15: an old, big mailbox. 2,000 letters from 50 senders wait on the relay (written by the
// client core in Node, as the senders' own apps would); after unlocking, every one of them is
// listed and readable, none "Cannot be opened", and the unlock asks the directory about no
// sender per letter. Completeness is read from the count the list itself shows ("Select all"
// then says how many are ticked), so it holds for a list that keeps only some rows in the page.
import { expect, test, type Page } from '@playwright/test';
import { letterWriter } from '../helpers/letter-writer';
import { onboard, uniqueName, unlock } from './support';

const SENDERS = 50;
const PER_SENDER = 40;
const TOTAL = SENDERS * PER_SENDER;
/** A word in every letter's body: the search index holds a letter only once it is decrypted. */
const EVERY_LETTER = 'write';

/** Ticks "Select all" afresh and returns what the list says is ticked, e.g. "2000 selected"
 * ("0 selected" when nothing is listed, as while a search finds nothing yet). */
async function ticked(page: Page): Promise<string> {
	const all = page.getByRole('checkbox', { name: 'Select all' });
	if (await all.isChecked()) await all.click();
	await all.click();
	const count = page.getByText(/^\d+ selected$/);
	return (await count.count()) > 0 ? ((await count.textContent()) ?? '') : '0 selected';
}

test('2,000 letters from 50 senders are all listed and readable after unlock', async ({
	page,
	baseURL
}) => {
	// Main's list decrypts every letter again on each unlock and re-derives the whole list after
	// each one: about four letters a second on two cores (800 of 2,000 listed 150 s after
	// unlock). The sealed summary store and virtualised list (issue 15 point 1, branch mailbox)
	// remove that: merged with it, this passes (all listed 0.35 s after unlock, all readable
	// after 110 s on two busy cores). Remove this line when they are merged.
	test.fixme(true, 'needs the sealed summary store of issue 15 point 1');
	test.setTimeout(360_000);
	const origin = new URL(baseURL!).origin;
	const reader = await onboard(page, 'Reader', uniqueName('reader'));

	// The reader's tab is closed while the letters arrive, as when someone comes back to it.
	await page.goto('about:blank');
	const run = uniqueName('sender');
	const writing = Date.now();
	await Promise.all(
		Array.from({ length: SENDERS }, async (_, sender) => {
			const writer = await letterWriter(origin, `${run}-${sender}@localhost`);
			for (let letter = 0; letter < PER_SENDER; letter++) {
				await writer.write(reader, { to: [reader], subject: `Letter ${letter} of ${sender}` });
			}
		})
	);

	console.log(`${TOTAL} letters written in ${Date.now() - writing} ms`);
	const lookups: string[] = [];
	page.on('request', (request) => {
		if (new URL(request.url()).pathname.startsWith('/api/keys')) lookups.push(request.url());
	});
	await page.goto('/');
	await unlock(page);
	const started = Date.now();

	await expect
		.poll(() => ticked(page), { timeout: 200_000, intervals: [2_000] })
		.toBe(`${TOTAL} selected`);
	console.log(`every letter listed ${Date.now() - started} ms after unlock`);
	await page.getByLabel('Search mail on this device').fill(EVERY_LETTER);
	await expect
		.poll(() => ticked(page), { timeout: 200_000, intervals: [2_000] })
		.toBe(`${TOTAL} selected`);
	console.log(
		`every letter readable ${Date.now() - started} ms after unlock; ${lookups.length} key lookups`
	);
	await expect(page.getByText('Cannot be opened')).toHaveCount(0);
	// The unlock checked our own key; it asked nothing about the 50 senders, let alone per letter.
	expect(lookups.filter((url) => url.includes(run))).toEqual([]);

	// One of the oldest letters opens with its words.
	await page.getByLabel('Search mail on this device').fill('Letter 0 of 49');
	await page
		.getByRole('link', { name: /Letter 0 of 49/ })
		.first()
		.click();
	await expect(page.locator('article pre.body')).toContainText('Write back to');
});
