// Three relays on loopback, each with its own domain, found through a static peer map: mail
// crosses between them with real keys, signed by each relay's key, confirmed by signed
// acceptances; forged deliveries are refused; a relay that was down gets its mail exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { backends, type RunningRelay } from '../helpers/relay-server';
import { api, encryptFor, register, signIn, type TestKey } from './support';
import {
	deliveryBody,
	eventually,
	inbox,
	postDelivery,
	readText,
	relayPrivateKey,
	signDelivery,
	startPeer
} from './federation-support';

interface Person {
	address: string;
	key: TestKey;
	token: string;
	relay: RunningRelay;
}

describe.each(backends())(
	'federation between three relays (%s)',
	{ timeout: 120_000 },
	(backend) => {
		const peers = new Map<string, string>();
		const relays: Record<string, RunningRelay> = {};
		const people: Record<string, Person> = {};

		async function person(name: string, domain: string): Promise<Person> {
			const relay = relays[domain]!;
			const address = `${name}@${domain}`;
			const key = await register(relay, address);
			return { address, key, relay, token: await signIn(relay, address, key) };
		}

		async function send(from: Person, to: Person[], text: string) {
			const message = await encryptFor([from.key, ...to.map((p) => p.key)], text);
			const sent = await api(from.relay, 'POST', '/api/messages', {
				token: from.token,
				json: { to: to.map((p) => p.address), message }
			});
			expect(sent.status, JSON.stringify(sent.body)).toBe(201);
			return sent.body.id as string;
		}

		async function deliveries(from: Person, id: string) {
			const stored = await api(from.relay, 'GET', `/api/mailboxes/${from.address}/messages/${id}`, {
				token: from.token
			});
			return stored.body.deliveries as {
				domain: string;
				state: string;
				at: string | null;
				problem: string | null;
			}[];
		}

		beforeAll(async () => {
			for (const domain of ['one.example', 'two.example', 'three.example']) {
				relays[domain] = await startPeer(backend, domain, peers);
			}
			people.alice = await person('alice', 'one.example');
			people.bob = await person('bob', 'two.example');
			people.carol = await person('carol', 'three.example');
			people.dave = await person('dave', 'one.example');
		});
		afterAll(async () => {
			for (const relay of Object.values(relays)) await relay.stop();
		});

		it('publishes its relay key and policy at the well-known URL', async () => {
			const document = await api(relays['two.example']!, 'GET', '/.well-known/letterlock/relay');
			expect(document.status).toBe(200);
			expect(document.body).toMatchObject({
				v: 1,
				domain: 'two.example',
				origin: relays['two.example']!.url,
				key: { type: 'ed25519' },
				policy: { unsigned: 'reject' }
			});
			expect(document.body.key.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
		});

		it("answers a key lookup for a remote address from that address's relay", async () => {
			const { alice, bob } = people;
			const lookup = await api(alice!.relay, 'GET', `/api/keys/${bob!.address}`);
			expect(lookup.status).toBe(200);
			expect(lookup.body.keys.map((k: { fingerprint: string }) => k.fingerprint)).toEqual([
				bob!.key.fingerprint
			]);
			const unknown = await api(alice!.relay, 'GET', '/api/keys/nobody@two.example');
			expect(unknown.status).toBe(404);
			const nowhere = await api(alice!.relay, 'GET', '/api/keys/someone@elsewhere.example');
			expect(nowhere.status).toBe(404);
			expect(nowhere.body.error.message).toContain('elsewhere.example');
		});

		it('delivers across relays, files local copies at once and shows signed delivery on the sent copy', async () => {
			const { alice, bob, carol, dave } = people;
			const id = await send(alice!, [bob!, carol!, dave!], 'Hello from one.example');
			// The local recipient has it at once.
			expect((await inbox(dave!.relay, dave!.address, dave!.token)).map((m) => m.id)).toContain(id);
			for (const recipient of [bob!, carol!]) {
				const [received] = await eventually(async () => {
					const listed = await inbox(recipient.relay, recipient.address, recipient.token);
					return listed.length > 0 && listed;
				}, `mail for ${recipient.address}`);
				expect(received!.from).toBe(alice!.address);
				expect(
					await readText(
						recipient.relay,
						recipient.address,
						recipient.token,
						received!.id,
						recipient.key
					)
				).toBe('Hello from one.example');
			}
			const states = await eventually(async () => {
				const found = await deliveries(alice!, id);
				return found.every((d) => d.state === 'delivered') && found;
			}, 'both acceptances');
			expect(states.map((d) => d.domain)).toEqual(['three.example', 'two.example']);
			for (const state of states) expect(Date.parse(state.at!)).toBeGreaterThan(0);

			// And back: bob answers alice.
			await send(bob!, [alice!], 'Hello back from two.example');
			const [reply] = await eventually(async () => {
				const listed = await inbox(alice!.relay, alice!.address, alice!.token);
				return (
					listed.some((m) => m.from === bob!.address) &&
					listed.filter((m) => m.from === bob!.address)
				);
			}, 'the reply');
			expect(
				await readText(alice!.relay, alice!.address, alice!.token, reply!.id, alice!.key)
			).toBe('Hello back from two.example');
		});

		it('bounces mail for an address the remote relay does not have, readably, to the sender', async () => {
			const { carol } = people;
			const ghost = { ...people.bob!, address: 'ghost@two.example' };
			const before = (await inbox(carol!.relay, carol!.address, carol!.token)).length;
			const id = await send(carol!, [ghost], 'Anyone there?');
			const [state] = await eventually(async () => {
				const found = await deliveries(carol!, id);
				return found[0]?.state === 'failed' && found;
			}, 'the failure');
			expect(state!.problem).toContain('ghost@two.example');
			const listed = await inbox(carol!.relay, carol!.address, carol!.token);
			expect(listed).toHaveLength(before + 1);
			const bounce = listed.at(-1)!;
			expect(bounce.from).toBe('postmaster@three.example');
			const text = await readText(
				carol!.relay,
				carol!.address,
				carol!.token,
				bounce.id,
				carol!.key
			);
			expect(text).toContain('Subject: Not delivered to two.example');
			expect(text).toContain('ghost@two.example');
		});

		describe('forged deliveries', () => {
			const bobOnTwo = () => ({ address: people.bob!.address, key: people.bob!.key });
			const post = (body: string, key?: KeyObject | string) =>
				postDelivery(relays['two.example']!, body, key);

			it('refuses an unsigned delivery, one signed by another key, and one whose sender is on another domain', async () => {
				const { bob } = people;
				const before = await inbox(bob!.relay, bob!.address, bob!.token);
				const body = await deliveryBody('alice@one.example', bobOnTwo());

				const unsigned = await post(body);
				expect(unsigned.status).toBe(401);
				expect(unsigned.body.error.kind).toBe('unsigned-delivery');

				const stranger = generateKeyPairSync('ed25519').privateKey;
				const badSignature = await post(body, stranger);
				expect(badSignature.status).toBe(403);
				expect(badSignature.body.error).toMatchObject({ kind: 'bad-relay-signature' });
				expect(badSignature.body.error.message).toContain('one.example');

				const key = await relayPrivateKey(relays['one.example']!);
				const tampered = await post(body.replace('"v":1', '"v":1 '), signDelivery(key, body));
				expect(tampered.status).toBe(403);
				expect(tampered.body.error.kind).toBe('bad-relay-signature');

				const otherDomain = await deliveryBody('carol@three.example', bobOnTwo(), {
					from: 'one.example'
				});
				const mismatch = await post(otherDomain, key);
				expect(mismatch.status).toBe(403);
				expect(mismatch.body.error.kind).toBe('sender-domain-mismatch');

				expect(await inbox(bob!.relay, bob!.address, bob!.token)).toEqual(before);
			});

			it('files a genuine delivery once however often it is repeated', async () => {
				const { bob } = people;
				const before = await inbox(bob!.relay, bob!.address, bob!.token);
				const key = await relayPrivateKey(relays['one.example']!);
				const body = await deliveryBody('alice@one.example', bobOnTwo(), {
					id: 'repeated-delivery'
				});
				const first = await post(body, key);
				const again = await post(body, key);
				expect([first.status, again.status]).toEqual([201, 200]);
				expect(JSON.parse(again.body.acceptance)).toMatchObject({
					relay: 'two.example',
					id: 'repeated-delivery'
				});
				expect(await inbox(bob!.relay, bob!.address, bob!.token)).toHaveLength(before.length + 1);
			});
		});

		it('keeps mail for a relay that is down and delivers it exactly once when it is back', async () => {
			const { alice, bob } = people;
			const two = relays['two.example']!;
			const before = (await inbox(two, bob!.address, bob!.token)).length;
			await two.stop({ keep: true });
			const id = await send(alice!, [bob!], 'Sent while two.example was down');
			// Several attempts fail while it is away.
			await eventually(async () => {
				const [state] = await deliveries(alice!, id);
				return state?.state === 'queued' && state.problem !== null;
			}, 'a failed attempt');
			await new Promise((resolve) => setTimeout(resolve, 1_000));

			const back = await startPeer(backend, 'two.example', peers, {
				dataDir: two.dataDir,
				schema: two.schema
			});
			relays['two.example'] = back;
			const token = await signIn(back, bob!.address, bob!.key);
			const listed = await eventually(async () => {
				const found = await inbox(back, bob!.address, token);
				return found.length > before && found;
			}, 'the delayed mail');
			const [state] = await eventually(async () => {
				const found = await deliveries(alice!, id);
				return found[0]?.state === 'delivered' && found;
			}, 'the acceptance');
			expect(state!.domain).toBe('two.example');
			// Give a duplicate every chance to appear before counting.
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			expect(await inbox(back, bob!.address, token)).toHaveLength(listed.length);
			expect(listed).toHaveLength(before + 1);
			expect(await readText(back, bob!.address, token, listed.at(-1)!.id, bob!.key)).toBe(
				'Sent while two.example was down'
			);
		});
	}
);
