// The Chromium the browser tests and benchmarks use: Debian's binary unless CHROMIUM_PATH says
// otherwise, with flags that keep it quiet and off the network.
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

export function chromiumPath(): string {
	return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}
