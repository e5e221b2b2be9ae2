// A 500 MB mbox passes through Settings → Import without the page ever holding it: the file is
// generated on the fly (not committed), picked, and its check pass read to the end while the
// renderer's memory (page and crypto worker, bench/lib/renderer-memory.ts) is sampled; the import
// is then stopped. Reading the file whole would take more than its own size (a string of 500 MB
// is 0.5–1 GB in a JS engine), so the bound below fails at once if streaming is lost.
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { rendererBytes, rendererPids, withPeakMemory } from '../../bench/lib/renderer-memory';
import { onboard, uniqueName } from './support';

const FILE_BYTES = 500 * 1024 ** 2;
const LETTER_BYTES = 256 * 1024;
/** Well below the file's size (measured here: 167 MB above the page before the import). */
const MAX_GROWTH_BYTES = 300 * 1024 ** 2;

function writeLargeMbox(path: string): number {
	const filler = `${'Lorem ipsum dolor sit amet, mail from years ago. '.repeat(20)}\n`;
	const body = filler.repeat(Math.floor(LETTER_BYTES / filler.length));
	const fd = openSync(path, 'w');
	let written = 0;
	let letters = 0;
	try {
		while (written < FILE_BYTES) {
			const letter = [
				'From old@example.org Tue Mar  3 10:00:00 2026',
				'From: Old Friend <old@example.org>',
				`Subject: Big letter ${letters}`,
				`Message-ID: <big-${letters}-${randomUUID()}@example.org>`,
				'',
				body
			].join('\n');
			written += writeSync(fd, letter);
			letters += 1;
		}
	} finally {
		closeSync(fd);
	}
	return letters;
}

test('a 500 MB mbox streams through the import with page memory far below its size', async ({
	page,
	browser
}) => {
	test.setTimeout(600_000);
	const dir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-big-mbox-'));
	try {
		const file = join(dir, 'takeout.mbox');
		const letters = writeLargeMbox(file);
		await onboard(page, 'Ida', uniqueName('ida'));
		await page.getByRole('link', { name: 'Settings' }).click();
		const pids = await rendererPids(browser);
		const baseline = rendererBytes(pids);
		const { peakBytes } = await withPeakMemory(pids, async () => {
			await page.getByLabel('Mail file (.eml or mbox)').setInputFiles(file);
			// The whole file read and every letter checked: the first upload has begun.
			await expect(page.getByTestId('import-progress')).toContainText('Importing:', {
				timeout: 540_000
			});
		});
		await page.getByRole('button', { name: 'Stop import' }).click();
		await expect(page.getByTestId('import-result')).toContainText('Stopped after importing');
		const growth = peakBytes - baseline;
		test.info().annotations.push({
			type: 'memory',
			description: `${letters} letters, ${FILE_BYTES / 1024 ** 2} MB mbox: renderer peak ${(peakBytes / 1024 ** 2).toFixed(0)} MB, ${(growth / 1024 ** 2).toFixed(0)} MB above the ${(baseline / 1024 ** 2).toFixed(0)} MB before the import`
		});
		console.log(test.info().annotations.at(-1)!.description);
		expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
