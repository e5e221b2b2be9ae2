// One session lifecycle: unlocking starts every background loop of the client core, with no page
// involved (the outbox delivers, new-mail notices arrive and the mail is decrypted into the
// search index, folders changed on another device arrive), and locking stops them all, so that
// nothing asks the relay anything afterwards, except that mail queued at the lock still goes
// out, after which its relay session is revoked. The real Session, on the in-memory device
// tables Node gets and the `eventsource` package as the browser's EventSource, against a real
// relay behind the hostile relay double, whose request log says what the client asked.
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as keystore from '../../src/lib/client/keystore';
import type { CopyRef } from '../../src/lib/client/mail-state';
import { MailStateSync } from '../../src/lib/client/mail-state-sync.svelte';
import { RelayClient } from '../../src/lib/client/relay-client';
import { Session } from '../../src/lib/client/session.svelte';
import type { SessionEvents } from '../../src/lib/client/session-lifecycle';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { MailActions } from '../../src/lib/ui/mail-actions.svelte';
import { PageNotice } from '../../src/lib/ui/notice.svelte';
import { startHostileRelay } from '../helpers/hostile-relay';
import { letterWriter, type LetterWriter } from '../helpers/letter-writer';
import { backends } from '../helpers/relay-server';

const PASSPHRASE = 'quiet harbour lantern 42';
/** Longer than two ticks of every loop (polling and outbox: 3 s each). */
const QUIET_MS = 7000;
const WAIT = { timeout: 20_000, interval: 200 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every event stream the client core opened, to see that each was closed again. */
const streams: EventSource[] = [];
class WatchedEventSource extends EventSource {
	constructor(url: string | URL) {
		super(url);
		streams.push(this);
	}
}

beforeAll(() => {
	globalThis.EventSource = WatchedEventSource as unknown as typeof globalThis.EventSource;
});
afterAll(() => {
	Reflect.deleteProperty(globalThis, 'EventSource');
});

describe.each(backends())('one session lifecycle (%s)', (backend) => {
	// The device tables are one in-memory set per test file: each backend has its own person.
	const alice = `alice-${backend}@localhost`;
	const bobAddress = `bob-${backend}@localhost`;
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let session: Session;
	let bob: LetterWriter;
	/** Alice's other device: the same key, its own engine and relay session. */
	let otherDevice: MailStateSync;
	const events: Array<{ type: keyof SessionEvents; address: string | null }> = [];

	beforeAll(async () => {
		setup = await startHostileRelay({ backend });
		const engine = new CryptoEngine();
		const generated = await engine.generateIdentity({
			name: 'Alice',
			address: alice,
			passphrase: PASSPHRASE
		});
		await new RelayClient(setup.relay.url).register(alice, generated.publicKey);
		await keystore.save(keystore.identityRecord(generated, setup.hostile.url));
		bob = await letterWriter(setup.relay.url, bobAddress);

		const otherEngine = new CryptoEngine();
		await otherEngine.unlock({
			lockedPrivateKey: generated.lockedPrivateKey,
			passphrase: PASSPHRASE
		});
		const otherRelay = new RelayClient(setup.relay.url);
		await otherRelay.login(alice, (challenge) => otherEngine.signLogin(challenge));
		otherDevice = new MailStateSync(
			otherRelay,
			otherEngine,
			generated,
			(call) => call(),
			() => {}
		);

		session = new Session(() => engine, new RelayClient(setup.hostile.url));
		session.on('unlocked', ({ address }) => events.push({ type: 'unlocked', address }));
		session.on('locked', ({ address }) => events.push({ type: 'locked', address }));
		await session.load();
	}, 60_000);

	/** Sends Bob a letter whose first delivery attempt finds the relay away: it stays queued. */
	async function sendWhileRelayAway(subject: string) {
		setup.hostile.lie({
			method: 'POST',
			path: '/api/messages',
			times: 1,
			answer: () => ({ status: 503, text: 'Service Unavailable' })
		});
		return session.send({ to: [bobAddress], subject, body: 'Hello' });
	}

	afterAll(async () => {
		if (session?.unlocked) await session.lock();
		await keystore.remove(alice);
		await setup?.stop();
	});

	it('unlocking runs every loop with no page: the outbox retries, notices bring mail into the search index, other devices’ folders sync', async () => {
		await session.unlock(PASSPHRASE);
		expect(events).toEqual([{ type: 'unlocked', address: alice }]);

		// The outbox's own timer sends it once the relay is back.
		const item = await sendWhileRelayAway('Queued first');
		expect(item.state).toBe('queued');
		await expect
			.poll(() => session.outbox.items.find((each) => each.id === item.id)?.state, WAIT)
			.toBe('sent');

		// Notices arrive, so listing falls back to once a minute: the letter comes by its notice.
		await expect.poll(() => session.mailbox?.live, WAIT).toBe(true);
		const id = await bob.write(alice, { to: [alice], subject: 'Lighthouse keeper' });
		await expect
			.poll(() => session.mailbox?.find(id)?.mail?.subject, WAIT)
			.toBe('Lighthouse keeper');
		const inbox = session.mailbox!.entries.inbox;
		expect(session.mailbox!.search(inbox, 'lighthouse').map((entry) => entry.summary.id)).toEqual([
			id
		]);

		const ref: CopyRef = { copy: 'inbox', id };
		await otherDevice.set([ref], { field: 'folder', value: 'archive' });
		expect(otherDevice.problem).toBeNull();
		await expect.poll(() => session.mailState?.flags(ref).folder, WAIT).toBe('archive');
	}, 60_000);

	it('locking stops every loop and clears the notice and the undo offer: nothing reaches the relay afterwards, whatever happens there', async () => {
		const notice = new PageNotice(session);
		notice.text = `Sent encrypted to ${bobAddress}.`;
		const actions = new MailActions(session);
		const ref: CopyRef = { copy: 'inbox', id: session.mailbox!.entries.inbox[0]!.summary.id };
		actions.move([ref], 'trash');
		expect(actions.offer?.text).toBe('Moved 1 message to Trash.');
		expect(session.mailState?.flags(ref).folder).toBe('trash');

		await session.lock();
		expect(events.at(-1)).toEqual({ type: 'locked', address: alice });
		expect(actions.offer).toBeNull();
		expect(notice.text).toBe('');
		expect(streams.length).toBeGreaterThan(0);
		expect(streams.map((stream) => stream.readyState)).toEqual(
			streams.map(() => EventSource.CLOSED)
		);
		const mark = setup.hostile.requests.length;

		// Things every loop would react to: new mail, a change on the other device.
		const id = await bob.write(alice, { to: [alice], subject: 'While you were locked' });
		await otherDevice.set([{ copy: 'inbox', id }], { field: 'starred', value: true });
		await sleep(QUIET_MS);

		expect(setup.hostile.since(mark)).toEqual([]);
	}, 60_000);

	it('mail queued at the lock still goes out, then its session is revoked and the client falls silent', async () => {
		await session.unlock(PASSPHRASE);
		expect(events.at(-1)).toEqual({ type: 'unlocked', address: alice });
		const item = await sendWhileRelayAway('Sent after lock');
		expect(item.state).toBe('queued');
		const mark = setup.hostile.requests.length;
		await session.lock();

		const revoked = () =>
			setup.hostile
				.since(mark)
				.some((seen) => seen.method === 'DELETE' && seen.path === '/api/auth/sessions/current');
		await expect.poll(revoked, WAIT).toBe(true);
		const delivered = setup.hostile
			.since(mark)
			.filter((seen) => seen.method === 'POST' && seen.path === '/api/messages');
		expect(delivered).toHaveLength(1);
		expect(session.outbox.items.find((each) => each.id === item.id)?.state).toBe('sent');

		const quiet = setup.hostile.requests.length;
		await sleep(QUIET_MS);
		expect(setup.hostile.since(quiet)).toEqual([]);
	}, 60_000);
});
