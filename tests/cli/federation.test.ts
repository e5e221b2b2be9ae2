// Three people on three relays, each with their own domain, using the real CLI with real keys:
// keys of people on other relays come through one's own relay, mail crosses relays signed and
// encrypted end to end, and the sender's copy says when each relay accepted it.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../helpers/relay-server';
import { eventually, startPeer } from '../relay/federation-support';
import { cliUser, ok, tempRoot, type CliUser } from './run-cli';

const peers = new Map<string, string>();
const relays: RunningRelay[] = [];
let root: string;
let alice: CliUser;
let bob: CliUser;
let carol: CliUser;

beforeAll(async () => {
	root = await tempRoot();
	for (const domain of ['one.example', 'two.example', 'three.example']) {
		relays.push(await startPeer('sqlite', domain, peers));
	}
	[alice, bob, carol] = ['alice@one.example', 'bob@two.example', 'carol@three.example'].map(
		(address, index) => cliUser(relays[index]!.url, root, address)
	) as [CliUser, CliUser, CliUser];
	await Promise.all(
		[alice, bob, carol].map(async (user) =>
			ok(await user.run(['init', '--address', user.address, '--name', user.address]))
		)
	);
});

afterAll(async () => {
	for (const relay of relays) await relay.stop();
	rmSync(root, { recursive: true, force: true });
});

describe('letterlock across relays', () => {
	it('sends to people on two other relays, who read it with a valid signature', async () => {
		const to = [bob, carol].flatMap((user) => ['--to', user.address]);
		const text = ['--subject', 'Across relays', '--body', 'Hello from one.example'];
		const id = ok(await alice.run(['send', ...to, ...text])).trim();
		// Alice's key as her own relay publishes it; the others get it through their relays.
		const own = JSON.parse(ok(await alice.run(['lookup', alice.address, '--json'])));
		const remote = JSON.parse(ok(await bob.run(['lookup', alice.address, '--json'])));
		expect(remote.keys).toEqual(own.keys);
		for (const reader of [bob, carol]) {
			const [mail] = await eventually(async () => {
				const listed = JSON.parse(ok(await reader.run(['list', '--json'])));
				return listed.length > 0 && listed;
			}, `mail for ${reader.address}`);
			expect(mail).toMatchObject({
				from: alice.address,
				subject: 'Across relays',
				signature: 'valid'
			});
			expect(mail.fingerprint).toBe(own.keys[0].fingerprint);
		}
		const sent = await eventually(async () => {
			const text = ok(await alice.run(['read', id]));
			return !text.includes('on its way') && text;
		}, 'both acceptances');
		expect(sent).toMatch(/Delivery: +delivered to three\.example at \d{4}-/);
		expect(sent).toMatch(/delivered to two\.example at \d{4}-/);
	});

	it('answers back the other way', async () => {
		const [mail] = JSON.parse(ok(await carol.run(['list', '--json'])));
		ok(
			await carol.run([
				'send',
				'--to',
				alice.address,
				'--subject',
				'Re: Across relays',
				'--body',
				'Got it'
			])
		);
		const [reply] = await eventually(async () => {
			const listed = JSON.parse(ok(await alice.run(['list', '--json'])));
			return listed.length > 0 && listed;
		}, 'the reply');
		expect(reply).toMatchObject({
			from: carol.address,
			subject: 'Re: Across relays',
			signature: 'valid'
		});
		expect(mail.from).toBe(alice.address);
	});
});
