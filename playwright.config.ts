// End-to-end tests against the built app (`npm run build` first): one Node process serves the
// pages and the relay, with a fresh data directory per run so every run starts empty.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './tests/helpers/chromium';

const PORT = Number(process.env.LETTERLOCK_E2E_PORT ?? 4173);
const ORIGIN = `http://127.0.0.1:${PORT}`;
export const ONION_MIRROR = 'http://letterlockexampleonionmirror.onion';

// The config is loaded by the runner and again in each test worker; only the runner starts
// the server, so only it makes the data directory.
const dataDir =
	process.env.TEST_WORKER_INDEX === undefined ? mkdtempSync(join(tmpdir(), 'letterlock-e2e-')) : '';
// Test workers inherit the runner's environment, so tests can inspect what the relay stored.
if (dataDir) process.env.LETTERLOCK_E2E_DATA = dataDir;

// Debian's Chromium by default; PLAYWRIGHT_BUNDLED_BROWSER=1 uses the one `npx playwright
// install` fetches instead.
const executablePath = process.env.PLAYWRIGHT_BUNDLED_BROWSER ? undefined : chromiumPath();

export default defineConfig({
	testDir: 'tests/e2e',
	globalTeardown: './tests/e2e/teardown.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: 'list',
	timeout: 60_000,
	expect: { timeout: 15_000 },
	use: {
		baseURL: ORIGIN,
		trace: 'retain-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: {
					executablePath,
					args: CHROMIUM_ARGS
				}
			}
		}
	],
	webServer: {
		command: 'node scripts/serve.js',
		url: `${ORIGIN}/api/info`,
		reuseExistingServer: false,
		timeout: 60_000,
		// The relay logs one line per request; failures show on stderr and in the test output.
		stdout: 'ignore',
		env: {
			PORT: String(PORT),
			HOST: '127.0.0.1',
			ORIGIN,
			LETTERLOCK_DATA: dataDir,
			LETTERLOCK_DOMAIN: 'localhost',
			BODY_SIZE_LIMIT: '9M',
			// Every test signs up from 127.0.0.1; limits have their own tests in tests/relay.
			LETTERLOCK_RATE_LIMITS: 'registration:500/60',
			// No proof of work here; tests/e2e/pow.spec.ts runs its own relay that asks for it.
			LETTERLOCK_POW_BITS: '0',
			// No network beyond loopback: other relays only through LETTERLOCK_PEERS.
			LETTERLOCK_DISCOVERY: 'peers',
			// Tor Browser's cue that the same app is served as an onion service.
			ONION_LOCATION: ONION_MIRROR
		}
	}
});
