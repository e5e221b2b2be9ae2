// Renders the app icons in static/icons/ from the favicon's drawing, with Chromium, so the PNGs
// can be remade after a change: node scripts/render-icons.js
import { chromium } from '@playwright/test';
const glyph = `<rect x="8" y="16" width="48" height="36" rx="4" fill="#1d4ed8"/><path d="M8 20l24 18 24-18" fill="none" stroke="#fff" stroke-width="4"/><circle cx="48" cy="48" r="12" fill="#16a34a"/><path d="M43 48l4 4 7-8" fill="none" stroke="#fff" stroke-width="3"/>`;
// "any": the drawing on a white rounded tile; "maskable": a full-bleed tile with the drawing
// inside the central 80% that every mask shape keeps.
/** @param {number} s */
const any = (s) =>
	`<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#ffffff"/><g transform="translate(4 1) scale(0.875)">${glyph}</g></svg>`;
/** @param {number} s */
const maskable = (s) =>
	`<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 64 64"><rect width="64" height="64" fill="#e7effb"/><g transform="translate(12.8 11.2) scale(0.6)">${glyph}</g></svg>`;
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	args: ['--no-sandbox']
});
const page = await browser.newPage();
for (const [name, make] of /** @type {const} */ ([
	['icon', any],
	['maskable', maskable]
])) {
	for (const size of [192, 512]) {
		await page.setViewportSize({ width: size, height: size });
		await page.setContent(
			`<html><body style="margin:0;background:transparent">${make(size)}</body></html>`
		);
		await page
			.locator('svg')
			.screenshot({ path: `static/icons/${name}-${size}.png`, omitBackground: true });
	}
}
await browser.close();
