// Promise 5: a hostile message cannot run code, load remote content, leak that it was opened, or
// mislead about who sent it or what a file is. The corpus in tests/hostile is sent through the
// relay as real signed and encrypted messages, then opened one by one in the reader's browser.
import { expect, test } from '@playwright/test';
import { RelayClient } from '../../src/lib/client/relay-client';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { compressionBomb } from '../helpers/compression-bomb';
import { CORPUS } from '../hostile/corpus';
import { guardPage, onboard, uniqueName } from './support';

/** The attacker: a real account on the same relay, writing raw MIME inside valid encryption. */
async function attacker(origin: string) {
	const address = `${uniqueName('mallory')}@localhost`;
	const engine = new CryptoEngine();
	const relay = new RelayClient(origin);
	const identity = await engine.generateIdentity({
		name: 'Mallory',
		address,
		passphrase: 'mallory passphrase'
	});
	await relay.register(address, identity.publicKey);
	await engine.unlock({
		lockedPrivateKey: identity.lockedPrivateKey,
		passphrase: 'mallory passphrase'
	});
	await relay.login(address, (challenge) => engine.signLogin(challenge));
	return { address, engine, relay };
}

test('the hostile corpus runs no script, reaches no other origin, and shows its tricks', async ({
	page,
	baseURL
}) => {
	test.setTimeout(180_000);
	const origin = new URL(baseURL!).origin;
	const guard = await guardPage(page, origin);
	const reader = await onboard(page, 'Reader', uniqueName('reader'));

	const { address: mallory, engine, relay } = await attacker(origin);
	const readerKey = (await relay.lookup(reader)).keys[0]!.publicKey;
	const ids = new Map<string, string>();
	for (const hostile of CORPUS) {
		const text = hostile.mime.replaceAll('{from}', mallory).replaceAll('{to}', reader);
		const message = await engine.encryptAndSign({ text, recipientKeys: [readerKey] });
		ids.set(hostile.name, (await relay.send([reader], message)).id);
	}

	for (const hostile of CORPUS) {
		await test.step(hostile.name, async () => {
			const row = page.locator(`li[data-message-id="${ids.get(hostile.name)}"]`);
			await row.getByRole('link').click();
			const article = page.locator(`article[data-message-id="${ids.get(hostile.name)}"]`);
			await expect(article.getByRole('heading', { level: 2 })).toContainText(hostile.name);
			for (const text of hostile.mustShow) await expect(article).toContainText(text);
		});
	}

	// The plain-text message: script shown as text, only the real link is a link, and following
	// it takes a click that shows the whole target first.
	await page
		.locator(`li[data-message-id="${ids.get('script-in-text')}"]`)
		.getByRole('link')
		.click();
	const body = page.locator('article pre.body');
	await expect(body.locator('[data-href]')).toHaveCount(1);
	await body.locator('[data-href]').click();
	const confirm = page.getByRole('alertdialog', { name: 'Open this link?' });
	await expect(confirm).toContainText('https://example.org/report?id=1');
	const open = confirm.getByRole('link', { name: 'Open link' });
	await expect(open).toHaveAttribute('rel', /noopener/);
	await expect(open).toHaveAttribute('rel', /noreferrer/);
	await expect(open).toHaveAttribute('target', '_blank');
	await confirm.getByRole('button', { name: 'Cancel' }).click();

	// The HTML message sits in a frame without scripts or same-origin, and nothing inside it
	// carries a way out: no scripts, handlers, styles, forms, frames, remote images or link targets.
	await page
		.locator(`li[data-message-id="${ids.get('html-mail')}"]`)
		.getByRole('link')
		.click();
	const frame = page.locator('iframe.html-mail');
	await expect(frame).toHaveAttribute('sandbox', '');
	const inside = page.frameLocator('iframe.html-mail');
	await expect(inside.getByRole('heading', { name: 'Quarterly report' })).toBeVisible();
	const markup = await frame.getAttribute('srcdoc');
	for (const forbidden of [
		'<script',
		'onerror',
		'onload',
		'ontoggle',
		'onbegin',
		'style=',
		'<style',
		'<form',
		'<iframe',
		'<object',
		'<svg',
		'<math',
		'http://tracker.invalid',
		'javascript:',
		'href='
	]) {
		expect(markup, forbidden).not.toContain(forbidden);
	}
	// Every web URL in any attribute is listed under the letter, to open after confirmation.
	const links = page.getByRole('region', { name: 'Links in this message' });
	const listed = () =>
		links.locator('[data-href]').evaluateAll((found) => found.map((a) => a.dataset.href));
	expect(await listed()).toEqual([
		'https://example.org/safe',
		'http://tracker.invalid/form',
		'http://tracker.invalid/frame',
		'http://tracker.invalid/object'
	]);

	// URLs on elements other than <a> are taken out and listed too, and an unclosed <noscript>
	// no longer hides the rest of the letter.
	await page
		.locator(`li[data-message-id="${ids.get('html-tricks')}"]`)
		.getByRole('link')
		.click();
	await expect(inside.getByText('Shown after the noscript trick.')).toBeVisible();
	const urlAttributes = await page.evaluate(
		(markup) =>
			[...new DOMParser().parseFromString(markup, 'text/html').body.querySelectorAll('*')].flatMap(
				(element) =>
					[...element.attributes]
						.filter((attribute) => /^(href|src|cite|usemap|xlink:href)$/.test(attribute.name))
						.map((attribute) => `${element.localName} ${attribute.name}=${attribute.value}`)
			),
		(await frame.getAttribute('srcdoc'))!
	);
	expect(urlAttributes).toEqual(['img src=data:image/gif;base64,R0lGODlhAQABAAAAACw=']);
	expect(await listed()).toEqual(['https://example.org/area', 'https://example.org/cite']);
	await links.locator('[data-href]').first().click();
	const confirmArea = page.getByRole('alertdialog', { name: 'Open this link?' });
	await expect(confirmArea).toContainText('https://example.org/area');
	await confirmArea.getByRole('button', { name: 'Cancel' }).click();

	// Attachments are listed, never rendered.
	await page
		.locator(`li[data-message-id="${ids.get('attachments')}"]`)
		.getByRole('link')
		.click();
	await expect(page.locator('[data-attachment]')).toHaveCount(3);
	await expect(
		page.locator('article iframe, article object, article embed, article svg image')
	).toHaveCount(0);

	// Give anything that might fire late (image errors, meta refresh, animations) a moment.
	await page.waitForTimeout(1000);
	expect(await guard.tripped()).toBe(false);
	expect(guard.dialogs).toEqual([]);
	expect(guard.foreignRequests).toEqual([]);
	// DOMPurify parses the hostile HTML in an inert document of this page, and Chromium reports
	// what the page's policy refuses in that parse (inline handlers and styles, the <base>). Those
	// reports are expected; a report about loading or running anything would not be.
	const refusedWhileSanitising = [
		'script-src-attr',
		'style-src-attr',
		'style-src-elem',
		'base-uri'
	];
	for (const violation of await guard.violations()) {
		expect(refusedWhileSanitising, violation).toContain(violation.split(' ')[0]);
	}
});

test('a decompression bomb is shown as malformed in its row, and the other letters still open', async ({
	page,
	baseURL
}) => {
	const origin = new URL(baseURL!).origin;
	const reader = await onboard(page, 'Reader', uniqueName('reader'));
	const { engine, relay } = await attacker(origin);
	const readerKey = (await relay.lookup(reader)).keys[0]!.publicKey;
	// 64 MiB: four times what a letter may unpack to, and small enough not to hurt on main.
	const bomb = await compressionBomb({
		unpackedBytes: 64 * 1024 * 1024,
		encryptionKeys: [readerKey]
	});
	const bombId = (await relay.send([reader], bomb)).id;
	const letter = await engine.encryptAndSign({
		text: 'Subject: after the bomb\r\n\r\nAn ordinary letter.',
		recipientKeys: [readerKey]
	});
	const letterId = (await relay.send([reader], letter)).id;

	await expect(page.locator(`li[data-message-id="${bombId}"]`)).toContainText(
		'This letter is malformed'
	);
	await page.locator(`li[data-message-id="${letterId}"]`).getByRole('link').click();
	await expect(page.locator(`article[data-message-id="${letterId}"]`)).toContainText(
		'An ordinary letter.'
	);
});
