// The app as an installed web app: Chromium's install criteria, an update that waits for the
// user's word (and never interrupts a message being written), and a browser that refuses
// IndexedDB altogether.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { relayProcess, sparePort } from './relay-process';
import { onboard, serviceWorkerReady, uniqueName, unlock, writeMessage } from './support';

test('Chromium finds the app installable and the app offers to install itself', async ({
	playwright,
	request,
	baseURL
}, testInfo) => {
	const response = await request.get('/manifest.webmanifest');
	expect(response.headers()['content-type']).toContain('application/manifest+json');
	const manifest = (await response.json()) as {
		name: string;
		short_name: string;
		start_url: string;
		display: string;
		theme_color: string;
		icons: { src: string; sizes: string; purpose: string }[];
	};
	expect(manifest).toMatchObject({
		name: 'Letterlock',
		short_name: 'Letterlock',
		start_url: '/',
		display: 'standalone'
	});
	expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
	const icons = manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose}`).sort();
	expect(icons).toEqual(['192x192 any', '192x192 maskable', '512x512 any', '512x512 maskable']);
	for (const icon of manifest.icons) {
		const image = await request.get(icon.src);
		expect(image.headers()['content-type']).toBe('image/png');
	}

	// Browsers never offer to install from a private window, and test contexts are private:
	// this check needs a real profile.
	const profile = mkdtempSync(join(tmpdir(), 'letterlock-e2e-profile-'));
	const launchOptions = testInfo.project.use.launchOptions ?? {};
	const context = await playwright.chromium.launchPersistentContext(profile, {
		...launchOptions,
		// Chromium also waits for "engagement" (time and clicks on the site) before it offers
		// installation; a test cannot earn that reliably, so it is waived.
		args: [...(launchOptions.args ?? []), '--bypass-app-banner-engagement-checks'],
		baseURL
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto('/');
		await serviceWorkerReady(page);
		const devtools = await context.newCDPSession(page);
		await expect
			.poll(async () => (await devtools.send('Page.getInstallabilityErrors')).installabilityErrors)
			.toEqual([]);
		// Chromium decides once per page load, and may decide before the service worker or the
		// app's listener is ready; a later visit is what a person sees.
		await expect(async () => {
			await page.reload();
			await expect(page.getByRole('button', { name: 'Install Letterlock' })).toBeVisible({
				timeout: 4_000
			});
		}).toPass({ timeout: 30_000 });
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
});

test('a new version is offered, never forced, and never while a message is being written', async ({
	browser
}) => {
	// A copy of the build inside node_modules, so that the server still finds its packages.
	const root = join(process.cwd(), 'node_modules', '.cache');
	mkdirSync(root, { recursive: true });
	const copy = mkdtempSync(join(root, 'letterlock-e2e-build-'));
	const buildDir = join(copy, 'build');
	const dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-relay-'));
	cpSync('build', buildDir, { recursive: true });
	const relay = relayProcess({ port: sparePort(2), dataDir, root: copy });
	await relay.start();
	const context = await browser.newContext({ baseURL: relay.origin });
	try {
		const page = await context.newPage();
		await onboard(page, 'Ivy', uniqueName('ivy'));
		await serviceWorkerReady(page);

		// Publish a new version: the same app under a new version number, as a rebuild makes.
		await relay.kill();
		const worker = join(buildDir, 'client', 'service-worker.js');
		const { version } = JSON.parse(
			readFileSync(join(buildDir, 'client', '_app', 'version.json'), 'utf8')
		) as { version: string };
		const source = readFileSync(worker, 'utf8');
		expect(source).toContain(`\`${version}\``);
		writeFileSync(worker, source.replace(`\`${version}\``, '`next-version`'));
		rmSync(`${worker}.br`);
		rmSync(`${worker}.gz`);
		await relay.start();

		// The writer is in the middle of a message when the browser finds the new version.
		await page.evaluate(() => Object.assign(window, { sameDocument: true }));
		await page.getByRole('link', { name: 'Write a message' }).click();
		await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Half a thought');
		await page.evaluate(async () => {
			await (await navigator.serviceWorker.getRegistration())?.update();
		});
		const banner = page.getByTestId('update-banner');
		await expect(banner).toContainText('offered again when you leave this message');
		await expect(banner.getByRole('button', { name: 'Reload' })).toHaveCount(0);

		await page.getByRole('link', { name: 'Inbox' }).click();
		await banner.getByRole('button', { name: 'Reload' }).waitFor();
		// Offered, not taken: the old version still runs this very document.
		expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true);
		expect(
			await page.evaluate(async () =>
				Boolean((await navigator.serviceWorker.getRegistration())?.waiting)
			)
		).toBe(true);

		await banner.getByRole('button', { name: 'Reload' }).click();
		await unlock(page);
		expect(await page.evaluate(() => 'sameDocument' in window)).toBe(false);
		await expect
			.poll(() => page.evaluate(() => caches.keys()))
			.toEqual(['letterlock-shell-next-version']);
		// The half-written message was kept as an encrypted draft.
		await page.getByRole('link', { name: 'Write a message' }).click();
		await expect(page.getByRole('textbox', { name: 'Message', exact: true })).toHaveValue(
			'Half a thought'
		);
	} finally {
		await context.close();
		await relay.kill();
		rmSync(copy, { recursive: true, force: true });
		rmSync(dataDir, { recursive: true, force: true });
	}
});

test('when the browser refuses IndexedDB, the app runs from memory and says so', async ({
	browser
}) => {
	const readerContext = await browser.newContext();
	const reader = await onboard(await readerContext.newPage(), 'Jude', uniqueName('jude'));
	const context = await browser.newContext();
	// What some private modes do: every attempt to open a database fails.
	await context.addInitScript(() => {
		IDBFactory.prototype.open = () => {
			throw new DOMException('IndexedDB is not available.', 'InvalidStateError');
		};
	});
	const page = await context.newPage();
	try {
		await onboard(page, 'Kit', uniqueName('kit'));
		await expect(page.getByTestId('memory-storage-banner')).toContainText(
			'lost when you close this tab'
		);
		await writeMessage(page, { to: reader, subject: 'From memory', body: 'Still works.' });
		await expect(page.getByRole('heading', { name: 'Sent' })).toBeVisible();
		await page.getByRole('link', { name: 'Settings' }).click();
		await expect(page.getByTestId('storage-persistence')).toContainText('Nothing is stored');

		// Nothing survived: a reload starts over.
		await page.reload();
		await expect(
			page.getByRole('heading', { name: 'Create your Letterlock address' })
		).toBeVisible();
	} finally {
		await context.close();
		await readerContext.close();
	}
});
