// Resource exhaustion: a stranger's letter must not take a reader's memory or freeze their page.
// Each attack goes through the real code: letters through a real relay to the real command line,
// adversarial text through the real parsers.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerStart } from '../../src/lib/client/answer';
import { splitMailFile } from '../../src/lib/client/mail-file';
import { parseMail } from '../../src/lib/client/mail-format';
import type { OpenedMail } from '../../src/lib/client/mailer';
import { MAX_HEADER_CHARS } from '../../src/lib/client/mime-body';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { CryptoError } from '../../src/lib/crypto/errors';
import { linkify } from '../../src/lib/ui/links';
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
		const refused = await engine.decryptAttachmentBlock({ block, key }).catch((error) => error);
		expect(refused).toBeInstanceOf(CryptoError);
		expect((refused as CryptoError).kind).toBe('bad-message');
		expect(String((refused as CryptoError).cause)).toMatch(
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

/** The fastest of five runs, in milliseconds: the machine is shared, and a run can be slowed by
 * others or by garbage collection. */
function fastest(run: () => unknown): number {
	let best = Infinity;
	for (let i = 0; i < 5; i++) {
		const start = performance.now();
		run();
		best = Math.min(best, performance.now() - start);
	}
	return best;
}

/**
 * Runs `parse` on `text(n)` for n = 20k, 40k, 80k characters and fails as soon as a run is too
 * slow: each doubling may cost at most 2.5 times as much (quadratic code costs four times), and
 * no run more than 250 ms (the quadratic code on main took 3.5 s at 40k). Times under 100 ms are
 * too small to compare (a pause for garbage collection is as long) and pass the ratio.
 */
function expectLinear(text: (length: number) => string, parse: (text: string) => unknown): void {
	let previous = 0;
	for (const length of [20_000, 40_000, 80_000]) {
		const input = text(length);
		const took = fastest(() => parse(input));
		expect(took, `${length} characters took ${took.toFixed(0)} ms`).toBeLessThan(250);
		expect(took, `${length} characters after ${previous.toFixed(0)} ms`).toBeLessThan(
			Math.max(100, 2.5 * previous)
		);
		previous = took;
	}
}

/** `unit` repeated to `length` characters. */
const repeated = (unit: string) => (length: number) =>
	unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** A letter whose From, To and Subject are `text`, and whose body is `text` too. */
const letter = (text: string) => `From: ${text}\r\nTo: ${text}\r\nSubject: ${text}\r\n\r\n${text}`;

describe('adversarial text takes linear time', () => {
	// The characters the header and link grammars care about, and the prefixes that start a
	// match: long strings of these are where a backtracking regular expression goes quadratic.
	const PIECES = [
		'<',
		'>',
		'@',
		' ',
		'"',
		'\\',
		',',
		'.',
		')',
		'a',
		'http://',
		'mailto:',
		'=?utf-8?q?'
	];
	const units = fc
		.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 })
		.map((pieces) => pieces.join(''));

	it('reading a letter whose headers and body are long adversarial strings', () => {
		// The worst case found first: '<' after '<' in From (and every To address).
		expectLinear(repeated('<'), (text) => parseMail(letter(text)));
		fc.assert(
			fc.property(units, (unit) => expectLinear(repeated(unit), (text) => parseMail(letter(text)))),
			{ numRuns: 20 }
		);
	});

	it('finding the links in a long adversarial body', () => {
		// The worst case found first: a link followed by a long run of sentence punctuation.
		expectLinear((length) => `http://a${'.'.repeat(length)}x`, linkify);
		fc.assert(
			fc.property(units, (unit) => expectLinear(repeated(unit), linkify)),
			{ numRuns: 20 }
		);
	});

	it('quoting a letter with a long run of spaces in a reply', () => {
		const mail = (body: string) =>
			({
				body,
				from: { name: '', address: 'a@b.c' },
				to: [],
				subject: ''
			}) as unknown as OpenedMail;
		expectLinear(
			(length) => `a${' '.repeat(length)}b`,
			(body) => answerStart(mail(body), 'reply', 'me@b.c')
		);
	});

	it('splitting a mail file with a long run of blank lines', () => {
		expectLinear((length) => `From a@b.c\nx${'\n'.repeat(length)}y`, splitMailFile);
	});

	it('a header longer than the cap is cut, marked, and the letter still reads', () => {
		const subject = 'word '.repeat(MAX_HEADER_CHARS);
		const to = Array.from({ length: 5000 }, (_, i) => `person${i}@example.org`).join(', ');
		const parsed = parseMail(`From: a@b.c\r\nTo: ${to}\r\nSubject: ${subject}\r\n\r\nThe body.`);
		expect(parsed.body).toBe('The body.');
		expect(parsed.headers.subject.endsWith(' […]')).toBe(true);
		expect(parsed.headers.subject.length).toBeLessThan(MAX_HEADER_CHARS + 10);
		// Whole addresses only: the one the cut went through is dropped, not shown shortened.
		expect(parsed.headers.to.length).toBeGreaterThan(1000);
		expect(parsed.headers.to.length).toBeLessThan(5000);
		for (const address of parsed.headers.to) expect(address).toMatch(/^person\d+@example\.org$/);
	});
});
