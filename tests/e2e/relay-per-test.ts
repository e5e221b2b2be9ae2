// A relay process of the test's own for every test of the calling file or describe block: fresh
// data, browser profiles pointed at it, everything gone when the test ends. For tests that kill
// the relay, count what it stored or tamper with it the way a hostile operator would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	test,
	type Browser,
	type BrowserContext,
	type BrowserContextOptions
} from '@playwright/test';
import { relayProcess, sparePort, type RelayProcess } from './relay-process';

export interface RelayPerTest {
	/** This test's relay. */
	readonly relay: RelayProcess;
	/** A browser profile on this test's relay; closed when the test ends. */
	newContext(browser: Browser, options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** Registers the hooks; `offset` picks the spare port (see sparePort), unique per spec file. */
export function relayPerTest(offset: number): RelayPerTest {
	let relay: RelayProcess | null = null;
	let dataDir = '';
	let contexts: BrowserContext[] = [];

	test.beforeEach(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-relay-'));
		relay = relayProcess({ port: sparePort(offset), dataDir });
		await relay.start();
	});

	test.afterEach(async () => {
		await Promise.all(contexts.map((context) => context.close()));
		contexts = [];
		await relay?.kill();
		relay = null;
		rmSync(dataDir, { recursive: true, force: true });
	});

	return {
		get relay() {
			if (!relay) throw new Error('The relay exists only while a test runs.');
			return relay;
		},
		async newContext(browser, options = {}) {
			const context = await browser.newContext({ ...options, baseURL: this.relay.origin });
			contexts.push(context);
			return context;
		}
	};
}
