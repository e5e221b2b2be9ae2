// Attachment blocks over real HTTP on both backends, with block bytes in the backend's own place
// (files beside SQLite, rows in PostgreSQL) and in a real S3-compatible server: named by their
// SHA-256, stored once, read with Range by those a message entitles, counted against a quota,
// expired when never sent.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3BlockBytes } from '../../src/lib/server/storage/block-s3';
import { backends, startRelay, type RunningRelay } from '../helpers/relay-server';
import { startS3, type RunningS3 } from '../helpers/s3-server';
import { api, encryptFor, register, signIn, testClock, type TestKey } from './support';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const MiB = 1024 * 1024;

const stores = [
	...backends().map((backend) => ({ backend, blocks: 'own' as const })),
	{ backend: 'sqlite' as const, blocks: 's3' as const }
];

describe.each(stores)('attachment blocks ($backend, $blocks blocks)', ({ backend, blocks }) => {
	let relay: RunningRelay;
	let s3: RunningS3 | undefined;
	const inFiles = backend === 'sqlite' && blocks === 'own';
	const clock = testClock();
	const keys: Record<string, TestKey> = {};
	const tokens: Record<string, string> = {};

	beforeAll(async () => {
		s3 = blocks === 's3' ? await startS3() : undefined;
		relay = await startRelay({
			backend,
			now: clock.now,
			blockQuotaBytes: 20 * MiB,
			blockBytes: s3 && s3BlockBytes(s3.settings)
		});
		for (const name of ['alice', 'bob', 'carol', 'dave']) {
			keys[name] = await register(relay, `${name}@localhost`);
			tokens[name] = await signIn(relay, `${name}@localhost`, keys[name]!);
		}
	}, 60_000);
	afterAll(async () => {
		await relay.stop();
		await s3?.stop();
	});

	const put = (who: string, bytes: Buffer, hash = sha256(bytes)) =>
		fetch(`${relay.url}/api/blocks/${hash}`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${tokens[who]}` },
			body: new Uint8Array(bytes)
		});
	const get = (who: string, hash: string, headers: Record<string, string> = {}, method = 'GET') =>
		fetch(`${relay.url}/api/blocks/${hash}`, {
			method,
			headers: { authorization: `Bearer ${tokens[who]}`, ...headers }
		});
	const send = async (from: string, to: string[], blocks: string[]) =>
		api(relay, 'POST', '/api/messages', {
			token: tokens[from],
			json: {
				to: to.map((name) => `${name}@localhost`),
				message: await encryptFor(
					to.map((name) => keys[name]!),
					'see attachment'
				),
				blocks
			}
		});

	it('stores a block once, says whether it had it, and serves it whole, in ranges and to HEAD', async () => {
		const bytes = randomBytes(3 * MiB);
		const hash = sha256(bytes);
		const first = await put('alice', bytes);
		expect(first.status).toBe(201);
		expect(await first.json()).toEqual({ hash, size: bytes.length, stored: true });
		const again = await put('alice', bytes);
		expect(again.status).toBe(200);
		expect((await again.json()).stored).toBe(false);

		const head = await get('alice', hash, {}, 'HEAD');
		expect(head.status).toBe(200);
		expect(head.headers.get('content-length')).toBe(String(bytes.length));
		const whole = await get('alice', hash);
		expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

		const part = await get('alice', hash, { range: 'bytes=1000-1999' });
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
		expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
		const tail = await get('alice', hash, { range: 'bytes=-10' });
		expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(-10))).toBe(true);
		const beyond = await get('alice', hash, { range: `bytes=${bytes.length}-` });
		expect(beyond.status).toBe(416);
		expect((await beyond.json()).error.message).toMatch(/has \d+ bytes/);
	});

	it('accepts a full 8 MiB block with overhead and refuses anything larger with 413', async () => {
		const full = randomBytes(8 * MiB + 1000);
		expect((await put('dave', full)).status).toBe(201);
		const oversized = await put('dave', randomBytes(8 * MiB + 64 * 1024 + 1));
		expect(oversized.status).toBe(413);
		expect((await oversized.json()).error.message).toMatch(/at most \d+ bytes/);
	}, 60_000);

	it('refuses bytes that do not match the name and keeps nothing of them', async () => {
		const bytes = randomBytes(100_000);
		const claimed = sha256(randomBytes(10));
		const refused = await put('alice', bytes, claimed);
		expect(refused.status).toBe(422);
		expect((await refused.json()).error.message).toContain(`are not block ${claimed}`);
		expect((await get('alice', claimed, {}, 'HEAD')).status).toBe(404);
		if (inFiles) {
			const folders = await readdir(join(relay.dataDir, 'blocks'));
			for (const folder of folders) {
				const files = await readdir(join(relay.dataDir, 'blocks', folder));
				expect(files.filter((name) => name.startsWith('.tmp'))).toEqual([]);
			}
		}
	});

	it('lets recipients read a block once a message refers to it, and nobody else', async () => {
		const bytes = randomBytes(50_000);
		const hash = sha256(bytes);
		expect((await put('alice', bytes)).status).toBe(201);
		expect((await get('bob', hash)).status).toBe(404);

		const unuploaded = sha256(randomBytes(10));
		const early = await send('alice', ['bob'], [hash, unuploaded]);
		expect(early.status).toBe(422);
		expect(early.body.error.message).toContain(unuploaded);

		const sent = await send('alice', ['bob'], [hash]);
		expect(sent.status).toBe(201);
		const read = await get('bob', hash);
		expect(read.status).toBe(200);
		expect(Buffer.from(await read.arrayBuffer()).equals(bytes)).toBe(true);
		expect((await get('carol', hash)).status).toBe(404);
		// Bob did not upload it, so he cannot forward it by reference without uploading it himself.
		expect((await send('bob', ['carol'], [hash])).status).toBe(422);
	});

	it('counts uploads against the account quota with a sentence when it is full', async () => {
		// carol has 20 MiB; a block she re-uploads that is already stored is not refused.
		for (let i = 0; i < 2; i++) expect((await put('carol', randomBytes(8 * MiB))).status).toBe(201);
		const full = await put('carol', randomBytes(8 * MiB));
		expect(full.status).toBe(507);
		expect((await full.json()).error.message).toMatch(/attachment space on this relay is full/);
		expect((await put('carol', randomBytes(MiB))).status).toBe(201);
	}, 60_000);

	it('deletes blocks no message refers to after a day, and keeps the ones that were sent', async () => {
		const kept = randomBytes(1000);
		const dropped = randomBytes(1000);
		expect((await put('bob', kept)).status).toBe(201);
		expect((await put('bob', dropped)).status).toBe(201);
		expect((await send('bob', ['alice'], [sha256(kept)])).status).toBe(201);

		clock.advance(25 * 60 * 60 * 1000);
		// Sessions last less than a day: sign in again in the new day.
		for (const name of Object.keys(keys)) {
			tokens[name] = await signIn(relay, `${name}@localhost`, keys[name]!);
		}
		// Any upload sweeps the expired ones.
		expect((await put('bob', randomBytes(10))).status).toBe(201);
		expect((await get('bob', sha256(dropped), {}, 'HEAD')).status).toBe(404);
		expect((await get('alice', sha256(kept))).status).toBe(200);
		// The bytes are gone from the store itself, not only from the relay's records.
		expect(await relay.storage.blockBytes.read(sha256(dropped), 0, 0)).toBeUndefined();
		const stillThere = await relay.storage.blockBytes.read(sha256(kept), 0, 0);
		expect(stillThere).toBeDefined();
		await stillThere?.cancel();
		if (inFiles) {
			const hash = sha256(dropped);
			const folder = await readdir(join(relay.dataDir, 'blocks', hash.slice(0, 2)));
			expect(folder).not.toContain(hash.slice(2));
		}
	});

	it('answers an upload that breaks off with a 4xx, keeping nothing of it', async () => {
		const hash = sha256(randomBytes(8));
		const { port } = new URL(relay.url);
		const socket = connect(Number(port), '127.0.0.1');
		await once(socket, 'connect');
		socket.write(
			`PUT /api/blocks/${hash} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
				`Authorization: Bearer ${tokens.alice}\r\nContent-Length: 100000\r\n\r\n` +
				'only the start'
		);
		await new Promise((resolve) => setTimeout(resolve, 200));
		socket.destroy();
		const answered = () =>
			relay.logs.some(
				(line) => line.includes('"route":"/api/blocks/:hash"') && line.includes('"status":400')
			);
		for (let i = 0; i < 100 && !answered(); i++) {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		expect(answered()).toBe(true);
		expect((await get('alice', hash, {}, 'HEAD')).status).toBe(404);
	});

	it('answers nonsense names and missing sign-in with 4xx sentences', async () => {
		const bad = await fetch(`${relay.url}/api/blocks/not-a-hash`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${tokens.alice}` },
			body: 'x'
		});
		expect(bad.status).toBe(400);
		const anonymous = await fetch(`${relay.url}/api/blocks/${sha256(randomBytes(4))}`);
		expect(anonymous.status).toBe(401);
		expect(relay.problems()).toEqual([]);
	});
});
