// A person sees their sessions and ends any of them; an ended session's token stops working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { api, register, signIn, type TestKey } from './support';

describe.each(backends())('sessions (%s)', (backend) => {
	let relay: RunningRelay;
	let key: TestKey;

	beforeAll(async () => {
		relay = await startRelay({ backend });
		key = await register(relay, 'uma@localhost');
	});
	afterAll(() => relay.stop());

	it('lists live sessions, marks the current one, and revokes another by id', async () => {
		const laptop = await signIn(relay, 'uma@localhost', key);
		const phone = await signIn(relay, 'uma@localhost', key);
		const listed = await api(relay, 'GET', '/api/auth/sessions', { token: laptop });
		expect(listed.status).toBe(200);
		expect(listed.body.sessions).toHaveLength(2);
		const [current, other] = [
			listed.body.sessions.find((s: { current: boolean }) => s.current),
			listed.body.sessions.find((s: { current: boolean }) => !s.current)
		];
		expect(current.id).toMatch(/^[0-9a-f]{32}$/);
		expect(Date.parse(other.expiresAt)).toBeGreaterThan(Date.parse(other.createdAt));
		// The listing names sessions without revealing tokens.
		expect(JSON.stringify(listed.body)).not.toContain(phone);

		expect(
			(await api(relay, 'DELETE', `/api/auth/sessions/${other.id}`, { token: laptop })).status
		).toBe(204);
		const refused = await api(relay, 'GET', '/api/mailboxes/uma@localhost/messages', {
			token: phone
		});
		expect(refused.status).toBe(401);
		expect(refused.body.error.message).toBe('That session token is not valid; sign in again.');
		// Revoking again finds nothing; the laptop is still signed in and alone.
		expect(
			(await api(relay, 'DELETE', `/api/auth/sessions/${other.id}`, { token: laptop })).status
		).toBe(404);
		const after = await api(relay, 'GET', '/api/auth/sessions', { token: laptop });
		expect(after.body.sessions.map((s: { id: string }) => s.id)).toEqual([current.id]);
	});
});
