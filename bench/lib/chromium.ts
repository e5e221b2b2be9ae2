// Headless Chromium for the browser benchmarks: Debian's binary unless CHROMIUM_PATH says
// otherwise, with the same flags as the end-to-end tests.
import { chromium, type Browser } from '@playwright/test';

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-quic'
		]
	});
}
