// Attack: on the documented onion + clear-web deployment the server trusts X-Forwarded-For (the
// TLS proxy's header), so an onion visitor who forges it gets a fresh set of per-network limits
// with every request. With ONION_PORT, scripts/serve.js gives the onion service its own listener
// where every request counts as one client, whatever it claims. The real server, the built app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { relayProcess, sparePort, type RelayProcess } from './relay-process';

const onionPort = sparePort(4);
const onionOrigin = `http://127.0.0.1:${onionPort}`;
let dataDir: string;
let server: RelayProcess;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'letterlock-e2e-onion-'));
	server = relayProcess({
		port: sparePort(3),
		dataDir,
		env: {
			ONION_PORT: String(onionPort),
			ADDRESS_HEADER: 'X-Forwarded-For',
			XFF_DEPTH: '1',
			LETTERLOCK_RATE_LIMITS: 'lookup:2/1'
		}
	});
	await server.start();
});

test.afterAll(async () => {
	await server?.kill();
	rmSync(dataDir, { recursive: true, force: true });
});

/** Statuses of three key lookups from `origin`, each claiming another client IP. */
async function lookups(origin: string, claimed: string[]): Promise<number[]> {
	const statuses: number[] = [];
	for (const address of claimed) {
		const response = await fetch(`${origin}/api/keys/nobody@localhost`, {
			headers: { 'x-forwarded-for': address }
		});
		statuses.push(response.status);
	}
	return statuses;
}

test('the clear-web listener counts each client the proxy names on its own', async () => {
	expect(await lookups(server.origin, ['192.0.2.1', '192.0.2.2', '192.0.2.3'])).toEqual([
		404, 404, 404
	]);
});

test('onion visitors forging X-Forwarded-For still share one limit', async () => {
	const statuses = await lookups(onionOrigin, ['198.51.100.1', '198.51.100.2', '198.51.100.3']);
	expect(statuses).toEqual([404, 404, 429]);
	// Pages are served there too.
	expect((await fetch(`${onionOrigin}/`)).status).toBe(200);
});
