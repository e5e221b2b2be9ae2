// Forgery: a relay that lies tries to get a signature out of the person's key that a recipient's
// client then shows as theirs (issue 13, point 1), to pass a stranger's key off as a contact's
// successor (point 16), and a locked device keeps no decrypted key (point 17).
import { rmSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMail } from '../../src/lib/client/mail-format';
import { encodeEntry } from '../../src/lib/client/mail-state';
import { Mailer } from '../../src/lib/client/mailer';
import { RelayClient, RelayError } from '../../src/lib/client/relay-client';
import { signedOriginalPart } from '../../src/lib/client/signed-original';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import type { GeneratedIdentity } from '../../src/lib/crypto/types';
import { formatLoginChallenge } from '../../src/lib/protocol/login-challenge';
import { cliUser, tempRoot } from '../cli/run-cli';
import { startHostileRelay } from '../helpers/hostile-relay';
import { backends } from '../helpers/relay-server';
import { api, register, signIn } from '../relay/support';

const PASSPHRASE = 'correct horse battery staple';
const MINUTE = 60_000;

describe.each(backends())('forgery by a hostile relay (%s)', (backend) => {
	let setup: Awaited<ReturnType<typeof startHostileRelay>>;
	let root: string;
	const alice = new CryptoEngine();
	const bob = new CryptoEngine();
	let aliceId: GeneratedIdentity;
	let bobId: GeneratedIdentity;

	beforeAll(async () => {
		setup = await startHostileRelay({ backend });
		root = await tempRoot();
		const make = async (engine: CryptoEngine, name: string) => {
			const id = await engine.generateIdentity({
				name,
				address: `${name.toLowerCase()}@localhost`,
				passphrase: PASSPHRASE
			});
			await engine.unlock({ lockedPrivateKey: id.lockedPrivateKey, passphrase: PASSPHRASE });
			await new RelayClient(setup.relay.url).register(id.address, id.publicKey);
			return id;
		};
		[aliceId, bobId] = await Promise.all([make(alice, 'Alice'), make(bob, 'Bob')]);
	});
	afterAll(async () => {
		await setup.stop();
		rmSync(root, { recursive: true, force: true });
	});

	/** What a letter from Alice to Bob looks like inside its encryption: the text a relay would
	 * most like to see Alice's key sign. */
	const letterText = () =>
		formatMail({
			headers: {
				subject: 'Payment details',
				from: { name: 'Alice', address: 'alice@localhost' },
				to: ['bob@localhost'],
				date: new Date(),
				messageId: '<forged@localhost>'
			},
			body: 'Please pay the invoice to account 666.'
		});

	const challengeLike = (changes: Partial<Parameters<typeof formatLoginChallenge>[0]>) => {
		const now = Date.now();
		return formatLoginChallenge({
			relay: setup.hostile.url,
			address: 'alice@localhost',
			nonce: 'N'.repeat(43),
			issuedAt: new Date(now).toISOString(),
			expiresAt: new Date(now + 5 * MINUTE).toISOString(),
			...changes
		});
	};

	const lieAboutChallenge = (challenge: string) =>
		setup.hostile.lie({
			method: 'POST',
			path: '/api/auth/challenge',
			times: 1,
			answer: () => ({
				json: { challenge, expiresAt: new Date(Date.now() + 5 * MINUTE).toISOString() }
			})
		});

	const signings = () =>
		setup.hostile.requests.filter(
			(request) => request.method === 'POST' && request.path === '/api/auth/sessions'
		).length;

	it('signs in through the relay when the challenge is an honest one', async () => {
		const client = new RelayClient(setup.hostile.url);
		await client.login('alice@localhost', (challenge) => alice.signLogin(challenge));
		expect(client.token).toBeTruthy();
	});

	it('refuses to sign a letter, an original, a state entry or a wrong challenge as a login', async () => {
		const hostile: Array<[string, string, RegExp]> = [
			['a letter', letterText(), /not a login challenge/],
			[
				'a forwarded original',
				signedOriginalPart({ text: letterText(), signature: '-----BEGIN PGP SIGNATURE-----' }),
				/not a login challenge/
			],
			['a state entry', encodeEntry([]), /not a login challenge/],
			[
				'a letter behind a challenge',
				`${challengeLike({})}\n\n${letterText()}`,
				/not a login challenge/
			],
			[
				'an old relay’s challenge',
				'Letterlock login\nrelay: x\naddress: alice@localhost\nnonce: n\nexpires: now',
				/operator must update Letterlock/
			],
			[
				'a challenge for another relay',
				challengeLike({ relay: setup.relay.url }),
				/names the relay .* but this app is talking to/
			],
			[
				'a challenge for another address',
				challengeLike({ address: 'bob@localhost' }),
				/is for bob@localhost, not for alice@localhost/
			],
			[
				'an expired challenge',
				challengeLike({
					issuedAt: new Date(Date.now() - 120 * MINUTE).toISOString(),
					expiresAt: new Date(Date.now() - 115 * MINUTE).toISOString()
				}),
				/expired by this device’s clock/
			],
			[
				'a challenge that lasts a day',
				challengeLike({ expiresAt: new Date(Date.now() + 24 * 60 * MINUTE).toISOString() }),
				/longer than five minutes/
			]
		];
		const before = signings();
		for (const [what, text, sentence] of hostile) {
			lieAboutChallenge(text);
			const asked: string[] = [];
			const client = new RelayClient(setup.hostile.url);
			const error = await client
				.login('alice@localhost', (challenge) => {
					asked.push(challenge);
					return alice.signLogin(challenge);
				})
				.catch((caught: unknown) => caught);
			expect(error, what).toBeInstanceOf(RelayError);
			expect((error as RelayError).kind, what).toBe('refused-challenge');
			expect((error as RelayError).message, what).toMatch(sentence);
			expect(asked, `${what} reached the key`).toEqual([]);
			expect(client.token).toBeNull();
		}
		expect(signings()).toBe(before);
		// Even asked directly, the engine (the crypto worker) signs nothing that is not a challenge.
		await expect(alice.signLogin(letterText())).rejects.toMatchObject({ kind: 'not-a-challenge' });
	});

	it('makes the command line refuse a letter sent as a challenge, with nothing signed', async () => {
		const carol = cliUser(setup.hostile.url, root, 'carol@localhost');
		const before = signings();
		lieAboutChallenge(letterText());
		const refused = await carol.run(['init', '--address', carol.address, '--name', 'Carol']);
		expect(refused.code).not.toBe(0);
		expect(refused.stderr).toContain('not a login challenge');
		expect(signings()).toBe(before);

		lieAboutChallenge('Letterlock login\nrelay: x\naddress: carol@localhost\nnonce: n\nexpires: y');
		const old = await carol.run(['list']);
		expect(old.code).not.toBe(0);
		expect(old.stderr).toContain('operator must update Letterlock');
		expect(signings()).toBe(before);
	});

	it('never lets a login signature verify as a letter, an original, an attachment or a state entry', async () => {
		// The strongest relay: it keeps the signature of an honest, valid login...
		const mark = setup.hostile.requests.length;
		await new RelayClient(setup.hostile.url).login('alice@localhost', (challenge) =>
			alice.signLogin(challenge)
		);
		const sent = setup.hostile.since(mark).find((request) => request.path === '/api/auth/sessions');
		const { challenge, signature } = JSON.parse(sent!.body) as {
			challenge: string;
			signature: string;
		};

		// ...and offers it as the signature of a forwarded original (Mailer.checkOriginal's check),
		const asOriginal = await bob.verifyDetached({
			text: challenge,
			signature,
			senderKeys: [aliceId.publicKey]
		});
		expect(asOriginal.state).toBe('invalid');

		// as the signature inside a letter from Alice to Bob (text), or inside an attachment block
		// (binary), built around exactly the text it signs,
		const wrapped = async (literal: openpgp.Message<string | Uint8Array>, to: string) => {
			// A signed message without one-pass headers: the signature, then the data it signs.
			const packets = new openpgp.PacketList<openpgp.AnyPacket>();
			packets.push(
				...(await openpgp.readSignature({ armoredSignature: signature })).packets,
				...literal.packets
			);
			return openpgp.encrypt({
				message: new openpgp.Message(packets),
				encryptionKeys: await openpgp.readKey({ armoredKey: to }),
				format: 'binary'
			});
		};
		const letter = await wrapped(await openpgp.createMessage({ text: challenge }), bobId.publicKey);
		const opened = await bob.decryptAndVerify({
			message: openpgp.armor(openpgp.enums.armor.message, letter),
			senderKeys: [aliceId.publicKey]
		});
		expect(opened.text).toBe(challenge);
		expect(opened.signature.state).toBe('invalid');
		const block = await wrapped(
			await openpgp.createMessage({ binary: new TextEncoder().encode(challenge) }),
			bobId.publicKey
		);
		const openedBlock = await bob.decryptAndVerifyBytes({
			message: block,
			senderKeys: [aliceId.publicKey]
		});
		expect(openedBlock.signature.state).toBe('invalid');

		// and as an entry of Alice's own state log, which her devices accept only when she signed it.
		const entry = await wrapped(
			await openpgp.createMessage({ text: challenge }),
			aliceId.publicKey
		);
		const asEntry = await alice.decryptAndVerify({
			message: openpgp.armor(openpgp.enums.armor.message, entry),
			senderKeys: [aliceId.publicKey]
		});
		expect(asEntry.signature.state).toBe('invalid');

		// Other OpenPGP software refuses it too: the login notation is critical and unknown to it.
		const elsewhere = await openpgp.verify({
			message: await openpgp.createMessage({ text: challenge }),
			signature: await openpgp.readSignature({ armoredSignature: signature }),
			verificationKeys: await openpgp.readKey({ armoredKey: aliceId.publicKey })
		});
		await expect(elsewhere.signatures[0]!.verified).rejects.toThrow(/critical notation/);
	});

	describe('rotation to a key whose user ID for the address the old key never certified', () => {
		/** A key for `address` whose old key certified only its primary user ID, someone else's. */
		async function successorCertifiedOnAnotherUserId(
			old: openpgp.PrivateKey,
			address: string
		): Promise<string> {
			const { privateKey } = await openpgp.generateKey({
				type: 'curve25519',
				userIDs: [{ name: 'Mallory', email: 'mallory@elsewhere.example' }, { email: address }],
				format: 'object'
			});
			const certified = await privateKey.signPrimaryUser([old]);
			return certified.toPublic().armor();
		}

		it('is refused by the relay with a sentence', async () => {
			const dora = await register(setup.relay, 'dora@localhost');
			const token = await signIn(setup.relay, 'dora@localhost', dora);
			const offered = await successorCertifiedOnAnotherUserId(dora.privateKey, 'dora@localhost');
			const refused = await api(setup.relay, 'PUT', '/api/keys/dora@localhost', {
				token,
				json: { publicKey: offered }
			});
			expect(refused.status).toBe(422);
			expect(refused.body.error.message).toBe(
				"That key's user ID for dora@localhost is not certified by your current key, so it cannot replace it; certify that user ID with your current key first."
			);
			const served = await api(setup.relay, 'GET', '/api/keys/dora@localhost');
			expect(served.body.keys.map((key: { fingerprint: string }) => key.fingerprint)).toEqual([
				dora.fingerprint
			]);
		});

		it('is a plain key change for a client, never a rotation it can take over', async () => {
			const erin = await register(setup.relay, 'erin@localhost');
			const mailer = new Mailer(new RelayClient(setup.hostile.url), alice, aliceId);
			expect((await mailer.describe('erin@localhost')).trust).toBe('unverified');
			// The relay serves a key that Erin's key certified, but on someone else's user ID (a
			// friend's key Erin once signed): not a successor for erin@localhost.
			const stranger = await successorCertifiedOnAnotherUserId(erin.privateKey, 'erin@localhost');
			const fingerprint = (await openpgp.readKey({ armoredKey: stranger }))
				.getFingerprint()
				.toUpperCase();
			setup.hostile.lie({
				method: 'GET',
				path: '/api/keys/erin@localhost',
				answer: () => ({
					json: {
						address: 'erin@localhost',
						keys: [{ fingerprint, publicKey: stranger, createdAt: new Date().toISOString() }],
						conflict: false
					}
				})
			});
			await mailer.lookup('erin@localhost', true);
			expect((await mailer.describe('erin@localhost')).trust).toBe('changed');
			await expect(mailer.acceptRotation('erin@localhost')).rejects.toThrow(
				'is not certified by the key this device kept'
			);
		});
	});
});

describe('locking wipes the decrypted keys', () => {
	it('clears the private numbers of the current and the rotated-away key on lock', async () => {
		const engine = new CryptoEngine();
		const first = await engine.generateIdentity({
			name: 'Fay',
			address: 'fay@example.org',
			passphrase: PASSPHRASE
		});
		await engine.unlock({ lockedPrivateKey: first.lockedPrivateKey, passphrase: PASSPHRASE });
		const next = await engine.rotateKey({
			lockedPrivateKey: first.lockedPrivateKey,
			passphrase: PASSPHRASE
		});
		const held = engine.heldKeys();
		expect(held.map((key) => key.getFingerprint().toUpperCase())).toEqual([
			next.fingerprint,
			first.fingerprint
		]);
		const packets = held.flatMap((key) => key.getKeys().map((part) => part.keyPacket));
		expect(packets.length).toBe(4);
		expect(held.every((key) => key.isDecrypted())).toBe(true);

		await engine.lock();
		expect(engine.heldKeys()).toEqual([]);
		for (const packet of packets) {
			expect((packet as openpgp.SecretKeyPacket).privateParams).toBeNull();
		}
		expect(held.some((key) => key.isDecrypted())).toBe(false);

		// The stored, passphrase-locked keys are untouched: the next unlock reads old and new mail.
		await engine.unlock({
			lockedPrivateKey: next.lockedPrivateKey,
			passphrase: PASSPHRASE,
			previousLockedKeys: [first.lockedPrivateKey]
		});
		expect(engine.heldKeys().every((key) => key.isDecrypted())).toBe(true);

		// Unlocking again without a lock in between (another tab's unlock, say) wipes the copies
		// it replaces instead of leaving them to the garbage collector.
		const replaced = engine.heldKeys();
		await engine.unlock({ lockedPrivateKey: next.lockedPrivateKey, passphrase: PASSPHRASE });
		expect(replaced.some((key) => key.isDecrypted())).toBe(false);
		expect(engine.heldKeys().every((key) => key.isDecrypted())).toBe(true);
	});
});
