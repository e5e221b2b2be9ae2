// Read receipts nobody agreed to: a stranger fills To and Cc with addresses of their own
// (`opened-bob-123@tracker.example`), and a client that looks up every header address when a
// letter is opened tells the tracker's relay (a key lookup, or its DNS) that Bob read it. Opening
// and listing mail must ask the network nothing that depends on the letter: keys come from
// contacts already kept, and anything else is looked up only when the person asks for it.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mailer } from '../../src/lib/client/mailer';
import { RelayClient } from '../../src/lib/client/relay-client';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { cliUser, ok, tempRoot, type CliUser } from '../cli/run-cli';
import { naming as namingAny, startHostileRelay, type SeenRequest } from '../helpers/hostile-relay';
import { letterWriter, type LetterWriter } from '../helpers/letter-writer';
import { backends } from '../helpers/relay-server';

const READER = 'bob@localhost';
const TRACKERS = [
	'opened-bob-123@tracker.example',
	'pixel-bob@tracker.example',
	'cc-bob-123@tracker.example'
];

/** Requests that name an address from the letter, other than the reader's own mailbox and
 * sign-in (which the relay knows anyway). */
function naming(requests: SeenRequest[], addresses: string[]): SeenRequest[] {
	return namingAny(requests, addresses, [
		`/api/mailboxes/${encodeURIComponent(READER)}`,
		'/api/auth/'
	]);
}

describe.each(backends())('no tracking on opening a letter (%s)', (backend) => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let root: string;
	let bob: CliUser;
	let bobMailer: Mailer;
	let eve: LetterWriter;
	let carol: LetterWriter;
	let strangerLetter: string;
	const letterAddresses = () => [eve.address, READER, ...TRACKERS];

	beforeAll(async () => {
		setup = await startHostileRelay({ backend });
		root = await tempRoot();
		bob = cliUser(setup.hostile.url, root, READER);
		ok(await bob.run(['init', '--address', READER, '--name', 'Bob']));
		const identity = JSON.parse(readFileSync(join(bob.home, 'identity.json'), 'utf8'));
		const engine = new CryptoEngine();
		await engine.unlock({
			lockedPrivateKey: identity.lockedPrivateKey,
			passphrase: bob.passphrase
		});
		const client = new RelayClient(setup.hostile.url);
		await client.login(READER, (challenge) => engine.signLogin(challenge));
		bobMailer = new Mailer(client, engine, identity);
		// They write through the honest relay, so only the reader's requests are recorded.
		eve = await letterWriter(setup.relay.url, 'eve@localhost');
		carol = await letterWriter(setup.relay.url, 'carol@localhost');
		strangerLetter = await eve.write(READER, {
			to: [READER, TRACKERS[0]!, TRACKERS[1]!, 'undisclosed-recipients:;'],
			cc: [TRACKERS[2]!],
			subject: 'Did you get this?'
		});
	}, 60_000);
	afterAll(async () => {
		await setup?.stop();
		if (root) rmSync(root, { recursive: true, force: true });
	});

	it('opening a stranger’s letter full of tracker addresses asks nobody about them', async () => {
		const mark = setup.hostile.requests.length;
		const mail = await bobMailer.open({ id: strangerLetter });
		expect(mail.to.map((entry) => entry.address)).toEqual([
			READER,
			TRACKERS[0],
			TRACKERS[1],
			'undisclosed-recipients:;'
		]);
		expect(naming(setup.hostile.since(mark), letterAddresses())).toEqual([]);
		// The sender's key is not fetched behind Bob's back; the letter says so instead.
		expect(mail.signature.state).toBe('unknown-key');
		expect(mail.signerNotLookedUp).toBe(true);
		expect(mail.to[1]).toMatchObject({ fingerprint: null, notLookedUp: true });

		// Bob chooses to look the sender up: now the directory is asked, and the signature holds.
		await bobMailer.chooseLookup(eve.address);
		const looked = await bobMailer.open({ id: strangerLetter });
		expect(looked.signature).toMatchObject({ state: 'valid', signer: eve.fingerprint });
		expect(looked.signerNotLookedUp).toBe(false);
		expect(naming(setup.hostile.since(mark), TRACKERS)).toEqual([]);
	});

	it('the command line lists and reads it without a request naming the letter’s addresses', async () => {
		const mark = setup.hostile.requests.length;
		const listed = JSON.parse(ok(await bob.run(['list', '--json'])));
		expect(listed.map((entry: { id: string }) => entry.id)).toContain(strangerLetter);
		const read = ok(await bob.run(['read', strangerLetter]));
		expect(naming(setup.hostile.since(mark), letterAddresses())).toEqual([]);
		expect(read).toContain(TRACKERS[0]);
		// The reader learns how to check the signature, by choice.
		expect(read).toContain(`letterlock read ${strangerLetter} --look-up`);

		const looked = JSON.parse(ok(await bob.run(['read', strangerLetter, '--look-up', '--json'])));
		expect(looked.signature).toBe('valid');
		expect(naming(setup.hostile.since(mark), [eve.address]).length).toBeGreaterThan(0);
	});

	it('a contact’s letter verifies against the kept key with no lookup at all', async () => {
		const id = await carol.write(READER, {
			to: [READER, 'carol-pixel@tracker.example'],
			subject: 'From a contact'
		});
		await bobMailer.assess(carol.address);
		ok(await bob.run(['verify', carol.address, carol.fingerprint]));

		const mark = setup.hostile.requests.length;
		const mail = await bobMailer.open({ id });
		expect(mail.signature).toMatchObject({ state: 'valid', signer: carol.fingerprint });
		expect(mail.from).toMatchObject({ fingerprint: carol.fingerprint, trust: 'unverified' });
		const read = JSON.parse(ok(await bob.run(['read', id, '--json'])));
		expect(read.signature).toBe('valid');
		const lookups = setup.hostile
			.since(mark)
			.filter((request) => request.path.startsWith('/api/keys/'));
		expect(lookups).toEqual([]);
	});
});
