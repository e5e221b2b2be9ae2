// Folders and flags between two devices of one person, through a real relay: a change made
// offline survives a restart and goes out later, another device merges it, and an entry the
// owner did not sign (which the relay could write, knowing the public key) changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDb } from '../../src/lib/client/local-db';
import { encodeEntry, type CopyRef } from '../../src/lib/client/mail-state';
import { MailStateSync, type StateOwner } from '../../src/lib/client/mail-state-sync.svelte';
import { RelayClient } from '../../src/lib/client/relay-client';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { startRelay, type RunningRelay } from '../helpers/relay-server';
import { api } from './support';
import * as openpgp from 'openpgp';

const ADDRESS = 'alice@localhost';
const PASSPHRASE = 'quiet harbour lantern 42';
const message: CopyRef = { copy: 'inbox', id: 'message-1' };

describe('mail state sync between devices', () => {
	let relay: RunningRelay;
	let owner: StateOwner;
	const engine = new CryptoEngine();
	const online = () => new RelayClient(relay.url, { token });
	let token = '';
	const direct = <T>(call: () => Promise<T>) => call();

	beforeAll(async () => {
		relay = await startRelay({ backend: 'sqlite' });
		const identity = await engine.generateIdentity({
			name: 'Alice',
			address: ADDRESS,
			passphrase: PASSPHRASE
		});
		await engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase: PASSPHRASE });
		const client = new RelayClient(relay.url);
		await client.register(ADDRESS, identity.publicKey);
		token = (await client.login(ADDRESS, (challenge) => engine.signLogin(challenge))).token;
		owner = identity;
	});
	afterAll(() => relay.stop());

	it('keeps an offline change through a restart, sends it later, and another device merges it', async () => {
		const store = (await localDb()).mailState;
		// Nothing listens on port 9: the relay is unreachable.
		const offline = new RelayClient('http://127.0.0.1:9', { token });
		const deleted: CopyRef[] = [];
		const before = new MailStateSync(offline, engine, owner, direct, () => {}, store);
		await before.set([message], { field: 'folder', value: 'archive' });
		expect(before.flags(message).folder).toBe('archive');
		expect(before.problem).toMatch(/cannot be reached/);
		expect((await store.get(ADDRESS))?.sealed).toMatch(/^-----BEGIN PGP MESSAGE-----/);

		const restarted = new MailStateSync(
			online(),
			engine,
			owner,
			direct,
			(ref) => deleted.push(ref),
			store
		);
		await restarted.sync();
		expect(restarted.problem).toBeNull();
		expect(restarted.flags(message).folder).toBe('archive');

		const other = new MailStateSync(online(), engine, owner, direct, () => {});
		await other.sync();
		expect(other.flags(message)).toEqual({
			folder: 'archive',
			read: false,
			starred: false,
			deleted: false
		});
		await other.set([message], { field: 'deleted', value: true });
		await restarted.sync();
		expect(restarted.flags(message).deleted).toBe(true);
		expect(deleted).toEqual([message]);
	});

	it('ignores entries the owner did not sign, however new they claim to be', async () => {
		const forged = await openpgp.encrypt({
			message: await openpgp.createMessage({
				text: encodeEntry([
					{ ...message, field: 'folder', value: 'trash', at: Number.MAX_SAFE_INTEGER, device: 'z' }
				])
			}),
			encryptionKeys: await openpgp.readKey({ armoredKey: owner.publicKey })
		});
		const appended = await api(relay, 'POST', `/api/mailboxes/${ADDRESS}/state`, {
			token,
			json: { entry: forged }
		});
		expect(appended.status).toBe(201);
		const device = new MailStateSync(online(), engine, owner, direct, () => {});
		await device.sync();
		expect(device.flags(message).folder).toBe('archive');
	});
});
