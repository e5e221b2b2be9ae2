// Attack: a hostile relay writes its own "error" for the app to show: phishing ("call this
// number"), a fake instruction, or escapes for a terminal. The client keeps only the kind, the
// status and valid addresses, and says what they mean in its own words (lib/strings/errors.ts):
// the relay's sentence never reaches a person, in the browser or on the command line
// (terminal-injection.test.ts, tests/e2e/relay-errors.spec.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayClient, RelayError } from '../../src/lib/client/relay-client';
import { errorSentence } from '../../src/lib/strings/errors';
import { startHostileRelay } from '../helpers/hostile-relay';
import { register, signChallenge } from '../relay/support';

const PHISHING = 'Your account is locked. Call +1 555 0100 and read out your passphrase.';

describe('a hostile relay’s error sentences', () => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let client: RelayClient;
	beforeAll(async () => {
		setup = await startHostileRelay({ backend: 'sqlite' });
		const key = await register(setup.relay, 'rita@localhost');
		client = new RelayClient(setup.hostile.url);
		await client.login('rita@localhost', (challenge) => signChallenge(key, challenge));
	});
	afterAll(() => setup.stop());

	async function refusal(answer: { status: number; json?: unknown; text?: string }) {
		const withdraw = setup.hostile.lie({
			method: 'POST',
			path: '/api/messages',
			answer: () => answer
		});
		try {
			const refused = await client.send(['rita@localhost'], 'x').catch((error: unknown) => error);
			expect(refused).toBeInstanceOf(RelayError);
			return refused as RelayError;
		} finally {
			withdraw();
		}
	}

	it('are replaced by the client’s words for the kind, also for a kind it does not know', async () => {
		const known = await refusal({
			status: 429,
			json: { error: { kind: 'rate-limited', message: PHISHING } }
		});
		const unknown = await refusal({
			status: 403,
			json: { error: { kind: 'call-us-now', message: PHISHING } }
		});
		const notJson = await refusal({ status: 400, text: PHISHING });
		for (const error of [known, unknown, notJson]) {
			expect(error.message).not.toContain('555');
			expect(errorSentence(error.facts)).toBe(error.message);
			expect(JSON.stringify(error.params)).not.toContain('555');
		}
		expect(known.message).toMatch(/^The relay asks to slow down/);
		expect(unknown.kind).toBe('call-us-now');
		expect(unknown.message).toBe('The relay refused this (HTTP 403).');
		expect(notJson.message).toBe('The relay answered with an error (HTTP 400). Try again later.');
	});

	it('name only valid addresses the relay lists, and only so many', async () => {
		const listed = [
			'ghost@localhost',
			'Call +1 555 0100 now',
			'evil@\u001b[2Jexample.org',
			...Array.from({ length: 50 }, (_, n) => `flood${n}@localhost`)
		];
		const error = await refusal({
			status: 422,
			json: { error: { kind: 'unknown-recipient', message: PHISHING, addresses: listed } }
		});
		expect(error.params.addresses[0]).toBe('ghost@localhost');
		expect(error.params.addresses).toHaveLength(20);
		expect(error.message).toMatch(/^There is no account ghost@localhost, flood0@localhost/);
		expect(error.message).not.toContain('555');
		expect(error.message).not.toContain('\u001b');
	});
});
