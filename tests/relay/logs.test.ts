// One structured line per request (method, route pattern, status, duration), and nothing a
// sender or signer would want kept: no tokens, no addresses from paths, no ciphertext.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn } from './support';

describe('request logs', () => {
	let relay: RunningRelay;
	beforeAll(async () => {
		relay = await startRelay({ backend: 'sqlite' });
	});
	afterAll(() => relay.stop());

	it('logs each request as JSON with its route pattern, never tokens, addresses or messages', async () => {
		const key = await register(relay, 'vera@localhost');
		const token = await signIn(relay, 'vera@localhost', key);
		const message = await encryptFor([key], 'a note to self');
		const sent = await api(relay, 'POST', '/api/messages', {
			token,
			json: { to: ['vera@localhost'], message }
		});
		await api(relay, 'GET', `/api/mailboxes/vera@localhost/messages/${sent.body.id}`, { token });
		await api(relay, 'GET', '/api/nowhere');

		const lines = relay.logs.map((line) => JSON.parse(line));
		expect(lines.map((line) => [line.method, line.route, line.status])).toEqual([
			['POST', '/api/accounts', 201],
			['POST', '/api/auth/challenge', 200],
			['POST', '/api/auth/sessions', 201],
			['POST', '/api/messages', 201],
			['GET', '/api/mailboxes/:address/messages/:id', 200],
			['GET', '(no route)', 404]
		]);
		for (const line of lines) expect(line.ms).toEqual(expect.any(Number));
		const text = relay.logs.join('\n');
		for (const secret of [
			token,
			'vera@localhost',
			sent.body.id,
			message.slice(40, 80),
			key.fingerprint
		]) {
			expect(text).not.toContain(secret);
		}
	});
});
