// Property-based fuzzing of the client's read path in Node: mutated OpenPGP messages (armor,
// packets, random bytes) into CryptoEngine.decryptAndVerify, and mutated MIME inside valid
// encryption into parseMail. Every case ends in a clean result or a typed error (CryptoError,
// MailFormatError) within a time limit: no hang, no other exception. Mutated attachment
// manifests open the original file or fail with an AttachmentError, never other bytes.
import fc from 'fast-check';
import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/lib/client/attachment-manifest';
import {
	AttachmentError,
	receiveAttachment,
	sendAttachment
} from '../../src/lib/client/attachments';
import { formatMail, MailFormatError, parseMail } from '../../src/lib/client/mail-format';
import { CryptoEngine } from '../../src/lib/crypto/engine';
import { CryptoError } from '../../src/lib/crypto/errors';
import type { GeneratedIdentity } from '../../src/lib/crypto/types';

const PASSPHRASE = 'correct horse battery staple';
const CASE_TIMEOUT_MS = 10_000;

const sender = new CryptoEngine();
const reader = new CryptoEngine();
let alice: GeneratedIdentity;
let valid: string;
let validMime: string;
let bobPublicKey: string;

beforeAll(async () => {
	alice = await sender.generateIdentity({
		name: 'Alice',
		address: 'alice@example.org',
		passphrase: PASSPHRASE
	});
	const bob = await reader.generateIdentity({
		name: 'Bob',
		address: 'bob@example.org',
		passphrase: PASSPHRASE
	});
	bobPublicKey = bob.publicKey;
	await sender.unlock({ lockedPrivateKey: alice.lockedPrivateKey, passphrase: PASSPHRASE });
	await reader.unlock({ lockedPrivateKey: bob.lockedPrivateKey, passphrase: PASSPHRASE });
	validMime = formatMail({
		headers: {
			subject: 'Grüße',
			from: { name: 'Alice', address: 'alice@example.org' },
			to: ['bob@example.org'],
			date: new Date('2026-11-22T10:00:00Z'),
			messageId: 'id@example.org'
		},
		body: 'Hello Bob.\nSee you.'
	});
	valid = await sender.encryptAndSign({ text: validMime, recipientKeys: [bob.publicKey] });
});

/** Resolves to what happened; fails the case if it takes longer than the limit. */
async function outcome<T>(run: () => Promise<T>): Promise<{ value?: T; error?: unknown }> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const hang = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error('hung')), CASE_TIMEOUT_MS);
	});
	try {
		return { value: await Promise.race([run(), hang]) };
	} catch (error) {
		if (error instanceof Error && error.message === 'hung') throw error;
		return { error };
	} finally {
		clearTimeout(timer);
	}
}

function expectTyped(error: unknown, ...types: (new (...args: never[]) => Error)[]) {
	if (error === undefined) return;
	expect(
		types.some((type) => error instanceof type),
		`untyped ${String(error)}`
	).toBe(true);
	expect((error as Error).message).toMatch(/^[A-Z“"(].+[.)]$/);
}

/** Edits at random places: the mutation core shared by text and bytes. */
function edits(length: number) {
	return fc.array(
		fc.tuple(
			fc.nat({ max: Math.max(0, length - 1) }),
			fc.constantFrom('drop', 'insert', 'replace'),
			fc.nat({ max: 255 })
		),
		{ minLength: 1, maxLength: 10 }
	);
}

function applyEdits<T>(items: T[], changes: [number, string, number][], make: (n: number) => T) {
	const out = [...items];
	for (const [at, op, n] of changes) {
		if (op === 'drop') out.splice(at, 1);
		else if (op === 'insert') out.splice(at, 0, make(n));
		else out[at] = make(n);
	}
	return out;
}

async function openAndParse(message: string) {
	const decrypted = await reader.decryptAndVerify({ message, senderKeys: [alice.publicKey] });
	return parseMail(decrypted.text);
}

describe('the read path under hostile input', () => {
	it('mutated armor text: a mail or a typed error', async () => {
		const ARMOR_CHARS = 'AZaz09+/=\n- \r:';
		await fc.assert(
			fc.asyncProperty(edits(valid.length), async (changes) => {
				const mutated = applyEdits(
					[...valid],
					changes,
					(n) => ARMOR_CHARS[n % ARMOR_CHARS.length]!
				).join('');
				const { error } = await outcome(() => openAndParse(mutated));
				expectTyped(error, CryptoError, MailFormatError);
			}),
			{ numRuns: 80 }
		);
	}, 300_000);

	it('mutated packets (re-armored, so they reach the packet parser)', async () => {
		const { data } = await openpgp.unarmor(valid);
		const bytes = [...(data as Uint8Array)];
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					edits(bytes.length).map((changes) => applyEdits(bytes, changes, (n) => n)),
					fc.nat({ max: bytes.length }).map((end) => bytes.slice(0, end)),
					fc.uint8Array({ maxLength: 2048 }).map((random) => [...random])
				),
				async (mutated) => {
					const armored = openpgp.armor(openpgp.enums.armor.message, new Uint8Array(mutated));
					const { error } = await outcome(() => openAndParse(armored));
					expectTyped(error, CryptoError, MailFormatError);
				}
			),
			{ numRuns: 120 }
		);
	}, 300_000);

	it('mutated MIME inside valid encryption: a mail or a MailFormatError', async () => {
		const bob = await reader.currentIdentity();
		const bobKey = (await reader.inspectPublicKey(bobPublicKey)).fingerprint;
		expect(bobKey).toBe(bob?.fingerprint);
		const hostileHeaderText = fc.constantFrom(
			'=?UTF-8?B?###?=',
			'=?utf-8?q?=ZZ=?=',
			'=?UTF-8?B?gA==?=',
			'\u202eexe.txt',
			'<script>alert(1)</script>',
			'a\r\nBcc: eve@example.org',
			''
		);
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					edits(validMime.length).map((changes) =>
						applyEdits([...validMime], changes, (n) => String.fromCharCode(n)).join('')
					),
					fc
						.tuple(
							fc.constantFrom(
								'Subject',
								'From',
								'To',
								'Date',
								'Content-Type',
								'Content-Transfer-Encoding'
							),
							fc.oneof(hostileHeaderText, fc.string())
						)
						.map(([name, value]) => `${name}: ${value}\r\nFrom: x <a@b>\r\n\r\nbody`),
					fc.string({ unit: 'binary', maxLength: 500 })
				),
				async (text) => {
					const message = await sender.encryptAndSign({ text, recipientKeys: [bobPublicKey] });
					const { value, error } = await outcome(() => openAndParse(message));
					expectTyped(error, MailFormatError);
					if (value) expect(['text/plain', 'text/html']).toContain(value.bodyType);
				}
			),
			{ numRuns: 100 }
		);
	}, 300_000);
});

describe('attachment manifests under hostile input', () => {
	/** Blocks as the relay would hand them out: by name, whatever was stored under it. */
	const stored = new Map<string, Uint8Array>();
	const transport = {
		put: async (hash: string, bytes: Uint8Array) => {
			stored.set(hash, bytes);
		},
		get: async (hash: string) => {
			const bytes = stored.get(hash);
			if (!bytes) throw new Error('no such block');
			return bytes;
		}
	};
	const original = new TextEncoder().encode('Quarterly figures, not for the relay.\n'.repeat(40));

	async function receive(text: string): Promise<Uint8Array> {
		const manifest = readManifest(text);
		if (!manifest) {
			throw new AttachmentError({ kind: 'inconsistent-manifest', params: { name: 'it' } });
		}
		const chunks: Uint8Array[] = [];
		const sink = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) });
		const writer = sink.getWriter();
		await receiveAttachment(manifest, transport, sender, writer);
		return new Uint8Array(chunks.flatMap((chunk) => [...chunk]));
	}

	it('a mutated manifest yields the original bytes or an AttachmentError, never other bytes', async () => {
		const manifest = await sendAttachment(
			{
				name: 'figures.txt',
				type: 'text/plain',
				size: original.byteLength,
				stream: () => new Blob([original]).stream()
			},
			transport,
			sender
		);
		const text = JSON.stringify(manifest);
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					edits(text.length).map((changes) =>
						applyEdits([...text], changes, (n) => String.fromCharCode(32 + (n % 95))).join('')
					),
					fc
						.tuple(
							fc.constantFrom('size', 'blockSize', 'key', 'blocks', 'name', 'cipher'),
							fc.jsonValue()
						)
						.map(([field, value]) => JSON.stringify({ ...manifest, [field]: value }))
				),
				async (mutated) => {
					const { value, error } = await outcome(() => receive(mutated));
					expectTyped(error, AttachmentError);
					// Tampering is never silently accepted: whatever opens is the file that was sent.
					if (value) expect(value).toEqual(original);
				}
			),
			{ numRuns: 150 }
		);
	}, 300_000);
});
