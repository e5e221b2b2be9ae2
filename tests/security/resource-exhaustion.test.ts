// Resource exhaustion: a stranger's letter must not take a reader's memory or freeze their page.
// Each attack goes through the real code: letters through a real relay to the real command line,
// adversarial text through the real parsers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { cliWorld, ok, type CliUser, type CliWorld } from '../cli/run-cli';
import { compressionBomb, keyWithBomb } from '../helpers/compression-bomb';
import { startRelay } from '../helpers/relay-server';
import { api, encryptFor, makeKey, register, signIn, type TestKey } from '../relay/support';

const MiB = 1024 * 1024;
/** The command line refusing the bomb peaks near 200 MB; on main the bomb below
 * passed 1 GB. The cap kills a run that passes it, so a regression fails in a second. */
const MEMORY_CAP = 400 * MiB;

describe('decompression bombs', () => {
	let world: CliWorld;
	let reader: CliUser;
	let mallory: TestKey;
	let token: string;
	let readerKey: string;

	beforeAll(async () => {
		world = await cliWorld(['reader@localhost']);
		reader = world.users[0]!;
		mallory = await register(world.relay, 'mallory@localhost');
		token = await signIn(world.relay, 'mallory@localhost', mallory);
		readerKey = (await api(world.relay, 'GET', '/api/keys/reader@localhost')).body.keys[0]
			.publicKey;
	}, 60_000);
	afterAll(() => world.stop());

	const send = async (message: string): Promise<string> => {
		const sent = await api(world.relay, 'POST', '/api/messages', {
			token,
			json: { to: ['reader@localhost'], message }
		});
		expect(sent.status, JSON.stringify(sent.body)).toBe(201);
		return sent.body.id;
	};

	it('a small letter that unpacks to 256 MiB is refused as malformed, in bounded memory, and the other letters still read', async () => {
		const bomb = await compressionBomb({ encryptionKeys: [readerKey], unpackedBytes: 256 * MiB });
		// Small on the wire, as the review's 345 KiB one was: well inside every relay limit.
		expect(bomb.length).toBeLessThan(400 * 1024);
		const bombId = await send(bomb);
		const letterId = await send(
			await encryptFor([{ publicKey: readerKey } as TestKey], 'An ordinary letter after the bomb.')
		);

		const read = await reader.run(['read', bombId], {}, { maxRssBytes: MEMORY_CAP });
		expect(read.memory?.exceeded, `peak ${read.memory?.peakBytes}`).toBe(false);
		expect(read.code).toBe(1);
		expect(read.stderr).toContain('This letter is malformed');

		const list = await reader.run(['list'], {}, { maxRssBytes: MEMORY_CAP });
		expect(list.memory?.exceeded).toBe(false);
		const rows = ok(list);
		expect(rows).toMatch(new RegExp(`${bombId}.*error.*This letter is malformed`));
		expect(ok(await reader.run(['read', letterId]))).toContain(
			'An ordinary letter after the bomb.'
		);
	}, 60_000);
});

/** How much this test process's peak memory grew while `run` ran. */
async function peakGrowth(run: () => Promise<unknown>): Promise<number> {
	const before = process.resourceUsage().maxRSS * 1024;
	await run();
	return process.resourceUsage().maxRSS * 1024 - before;
}

describe('decompression bombs, wherever a client unpacks', () => {
	const PASSPHRASE = 'correct horse battery staple';
	const engine = new CryptoEngine();
	let publicKey: string;

	beforeAll(async () => {
		const identity = await engine.generateIdentity({
			name: 'Reader',
			address: 'reader@example.org',
			passphrase: PASSPHRASE
		});
		publicKey = identity.publicKey;
		await engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase: PASSPHRASE });
	});

	// 64 MiB is four times the cap: enough to show the cap holds, cheap enough on main.
	const unpackedBytes = 64 * MiB;
	const malformed = /^This letter is malformed: it would unpack to more than 16 MiB/;

	it('a letter, its forwarded original, and an unencrypted compressed message are refused unopened', async () => {
		const letter = await compressionBomb({ unpackedBytes, encryptionKeys: [publicKey] });
		const plain = await compressionBomb({ unpackedBytes });
		const growth = await peakGrowth(async () => {
			await expect(engine.decryptAndVerify({ message: letter, senderKeys: [] })).rejects.toThrow(
				malformed
			);
			await expect(engine.signedOriginal({ message: letter })).rejects.toThrow(malformed);
			await expect(engine.decryptAndVerify({ message: plain, senderKeys: [] })).rejects.toThrow(
				malformed
			);
		});
		expect(growth).toBeLessThan(48 * MiB);
	});

	it('a backup file is refused unopened', async () => {
		const file = await compressionBomb({ unpackedBytes, passwords: [PASSPHRASE] });
		await expect(
			engine.openWithPassphrase({ message: file, passphrase: PASSPHRASE })
		).rejects.toThrow(malformed);
	});

	it('an attachment block may unpack to no more than a block holds', async () => {
		const key = crypto.getRandomValues(new Uint8Array(32));
		const armored = await compressionBomb({ unpackedBytes, sessionKey: key });
		const { unarmor } = await import('openpgp');
		const block = (await unarmor(armored)).data as Uint8Array;
		await expect(engine.decryptAttachmentBlock({ block, key })).rejects.toThrow(
			/Maximum decompressed message size exceeded/
		);
	});
});

describe('decompression bombs sent to the relay', () => {
	let relay: Awaited<ReturnType<typeof startRelay>>;
	beforeAll(async () => {
		relay = await startRelay({ backend: 'sqlite' });
	});
	afterAll(() => relay.stop());

	it('a compressed message outside any encryption is refused without being unpacked', async () => {
		const key = await register(relay, 'sender@localhost');
		const token = await signIn(relay, 'sender@localhost', key);
		const bomb = await compressionBomb({ unpackedBytes: 256 * MiB });
		let status = 0;
		const growth = await peakGrowth(async () => {
			({ status } = await api(relay, 'POST', '/api/messages', {
				token,
				json: { to: ['sender@localhost'], message: bomb }
			}));
		});
		expect(status).toBe(400);
		expect(growth).toBeLessThan(64 * MiB);
	});

	// Not a hole today: OpenPGP.js refuses a compressed packet in a key block without unpacking
	// it. This keeps it that way for every key the relay parses.
	it('a key block carrying a compressed packet is refused without being unpacked', async () => {
		const { publicKey } = await makeKey('keybomb@localhost');
		// A key block may be 64 KiB, so about 40 MiB is as far as such a bomb could unpack.
		const armored = await keyWithBomb(publicKey, 40 * MiB);
		let status = 0;
		const growth = await peakGrowth(async () => {
			({ status } = await api(relay, 'POST', '/api/accounts', {
				json: { address: 'keybomb@localhost', publicKey: armored }
			}));
		});
		expect(status).toBe(422);
		expect(growth).toBeLessThan(16 * MiB);
	});
});
