// Three people on three relays, each with their own domain, using the real CLI with real keys:
// keys of people on other relays come through one's own relay, mail crosses relays signed and
// encrypted end to end, and the sender's copy says when each relay accepted it. The test waits
// on the relays' own records rather than polling with the CLI, which costs a process per call.
// three.example asks strangers for proof of work, as its relay document says: a letter without a
// stamp for carol would come back as a bounce.
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
		const powBits = domain === 'three.example' ? 8 : 0;
		relays.push(await startPeer('sqlite', domain, peers, { powBits }));
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

describe('letterlock across relays', { timeout: 120_000 }, () => {
	it('sends to people on two other relays, who read it with a valid signature', async () => {
		const to = [bob, carol].flatMap((user) => ['--to', user.address]);
		const text = ['--subject', 'Across relays', '--body', 'Hello from one.example'];
		const id = ok(await alice.run(['send', ...to, ...text])).trim();
		await eventually(async () => {
			const states = await relays[0]!.storage.outboundStatus(id);
			return states.length === 2 && states.every((state) => state.state === 'delivered');
		}, 'both acceptances');

		// One command at a time: on a busy machine several at once can each run out of time.
		const outputs: string[] = [];
		for (const [user, args] of [
			[alice, ['lookup', alice.address, '--json']],
			[bob, ['lookup', alice.address, '--json']],
			// Alice is a stranger to them: they choose to look her key up to check her signature.
			[bob, ['list', '--look-up', '--json']],
			[carol, ['list', '--look-up', '--json']],
			[alice, ['read', id]]
		] as const) {
			outputs.push(ok(await user.run([...args])));
		}
		const [own, remote, bobList, carolList, sent] = outputs as [
			string,
			string,
			string,
			string,
			string
		];
		// Alice's key as her own relay publishes it is what the others get through theirs.
		const aliceKeys = JSON.parse(own).keys;
		expect(JSON.parse(remote).keys).toEqual(aliceKeys);
		for (const listed of [bobList, carolList]) {
			expect(JSON.parse(listed)).toEqual([
				expect.objectContaining({
					from: alice.address,
					subject: 'Across relays',
					signature: 'valid',
					fingerprint: aliceKeys[0].fingerprint
				})
			]);
		}
		expect(sent).toMatch(/Delivery: +delivered to three\.example at \d{4}-/);
		expect(sent).toMatch(/delivered to two\.example at \d{4}-/);
	});

	it('answers back the other way', async () => {
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
		await eventually(
			async () => (await relays[0]!.storage.listMailbox(alice.address, 'inbox', 0, 10)).length > 0,
			'the reply'
		);
		expect(JSON.parse(ok(await alice.run(['list', '--json'])))).toEqual([
			expect.objectContaining({
				from: carol.address,
				subject: 'Re: Across relays',
				signature: 'valid'
			})
		]);
	});
});
