// Attachments on the command line against a real relay: a 20 MiB file travels as three blocks,
// uploaded once for two recipients, saved intact by both, a damaged block is named and nothing
// damaged is written, and GnuPG alone decrypts the blocks as docs/PROTOCOL.md says.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../helpers/relay-server';
import { Gpg } from '../interop/gpg';
import { cliWorld, ok, type CliUser, type CliWorld } from './run-cli';

const MiB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let world: CliWorld;
let relay: RunningRelay;
let root: string;
let alice: CliUser;
let bob: CliUser;
let carol: CliUser;
let messageId: string;
const big = randomBytes(20 * MiB + 12345);
const small = Buffer.from('a small note\n');

/** Every stored block file: `blocks/ab/cdef…` → hash `abcdef…`. */
function storedBlocks(): Map<string, string> {
	const found = new Map<string, string>();
	const blocks = join(relay.dataDir, 'blocks');
	for (const folder of readdirSync(blocks)) {
		for (const name of readdirSync(join(blocks, folder))) {
			found.set(folder + name, join(blocks, folder, name));
		}
	}
	return found;
}

beforeAll(async () => {
	world = await cliWorld(['alice@localhost', 'bob@localhost', 'carol@localhost']);
	({ relay, root } = world);
	[alice, bob, carol] = world.users as [CliUser, CliUser, CliUser];
	await mkdir(join(root, 'files'));
	writeFileSync(join(root, 'files', 'numbers.bin'), big);
	writeFileSync(join(root, 'files', 'note.txt'), small);
}, 60_000);

afterAll(async () => {
	await world?.stop();
});

describe('attachments on the command line', () => {
	it('sends a 20 MiB file once, in 8 MiB blocks, for two recipients', async () => {
		const out = ok(
			await alice.run([
				'send',
				'--to',
				bob.address,
				'--to',
				carol.address,
				'--subject',
				'numbers',
				'--body',
				'Both files attached.',
				'--attach',
				join(root, 'files', 'numbers.bin'),
				'--attach',
				join(root, 'files', 'note.txt')
			])
		);
		messageId = out.trim();
		// Three blocks for the big file and one for the note, whatever the number of recipients.
		expect(storedBlocks().size).toBe(4);
	}, 60_000);

	it('saves the attachments intact for each recipient', async () => {
		for (const user of [bob, carol]) {
			const folder = join(root, `${user.address}-saved`);
			const paths = ok(await user.run(['save', messageId, '--out', folder]))
				.trim()
				.split('\n');
			expect(paths).toEqual([join(folder, 'numbers.bin'), join(folder, 'note.txt')]);
			expect(sha256(readFileSync(paths[0]!))).toBe(sha256(big));
			expect(readFileSync(paths[1]!)).toEqual(small);
		}
		const read = ok(await bob.run(['read', messageId]));
		expect(read).toContain('Both files attached.');
		expect(read).toContain('numbers.bin');
	}, 60_000);

	it('names a damaged block and leaves no file behind', async () => {
		await withBobsGpg(async (_, manifest) => {
			const path = storedBlocks().get(manifest.blocks[1]!.sha256)!;
			const original = readFileSync(path);
			const damaged = Buffer.from(original);
			damaged.writeUInt8(damaged.readUInt8(1000) ^ 0xff, 1000);
			writeFileSync(path, damaged);
			try {
				const folder = join(root, 'damaged');
				const result = await carol.run(['save', messageId, '--out', folder]);
				expect(result.code).toBe(1);
				expect(result.stderr).toContain('Block 2 of 3 of numbers.bin is damaged');
				expect(readdirSync(folder)).toEqual([]);
			} finally {
				writeFileSync(path, original);
			}
		});
	}, 60_000);

	it('GnuPG decrypts the attachment from its blocks with the session key from the message', async () => {
		await withBobsGpg(async (gpg, manifest) => {
			const parts: Buffer[] = [];
			for (const [index, block] of manifest.blocks.entries()) {
				const output = join(gpg.home, `block-${index}`);
				await gpg.run([
					'--override-session-key',
					`9:${manifest.key.toUpperCase()}`,
					'--output',
					output,
					'--decrypt',
					storedBlocks().get(block.sha256)!
				]);
				parts.push(readFileSync(output));
			}
			expect(sha256(Buffer.concat(parts))).toBe(sha256(big));
		});
	}, 60_000);
});

interface Manifest {
	key: string;
	blocks: { sha256: string }[];
}

/** Runs `use` with a GnuPG home holding Bob's key and Alice's public key, and the manifest of
 * numbers.bin as gpg decrypted it from the stored message. */
async function withBobsGpg(use: (gpg: Gpg, manifest: Manifest) => Promise<void>): Promise<void> {
	const armored = ok(await bob.run(['raw', messageId]));
	const gpg = await Gpg.create(bob.passphrase);
	try {
		const identity = JSON.parse(readFileSync(join(bob.home, 'identity.json'), 'utf8'));
		const sender = JSON.parse(readFileSync(join(alice.home, 'identity.json'), 'utf8'));
		await gpg.run(['--import'], identity.lockedPrivateKey);
		await gpg.run(['--import'], sender.publicKey);
		const { stdout } = await gpg.run(['--decrypt'], armored);
		const line = stdout
			.split(/\r?\n/)
			.find((text) => text.startsWith('{') && text.includes('numbers.bin'));
		await use(gpg, JSON.parse(line!));
	} finally {
		await gpg.dispose();
	}
}
