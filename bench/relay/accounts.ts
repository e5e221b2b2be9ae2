// Relay accounts for the load benchmark, made before any timing starts: a key per account,
// registered and signed in through the real API, and one ready-made encrypted message each,
// because encryption is not what the relay benchmark measures.
import * as openpgp from 'openpgp';
import { RelayClient } from '../../src/lib/client/relay-client';
import { loginNotation } from '../../src/lib/protocol/login-challenge';

export interface BenchAccount {
	address: string;
	token: string;
	/** An armored message from this account, encrypted to `recipient` and to itself. */
	message: string;
	recipient: string;
}

interface Keys {
	address: string;
	privateKey: openpgp.PrivateKey;
	publicKey: openpgp.PublicKey;
}

async function makeKeys(address: string): Promise<Keys> {
	const { privateKey, publicKey } = await openpgp.generateKey({
		type: 'ecc',
		curve: 'curve25519Legacy',
		userIDs: [{ email: address }],
		format: 'object'
	});
	return { address, privateKey, publicKey };
}

/** Registers and signs in one account; returns its session token. */
async function signIn(origin: string, keys: Keys): Promise<string> {
	const relay = new RelayClient(origin);
	await relay.register(keys.address, keys.publicKey.armor());
	const { token } = await relay.login(keys.address, async (challenge) =>
		openpgp.sign({
			message: await openpgp.createMessage({ text: challenge }),
			signingKeys: keys.privateKey,
			detached: true,
			signatureNotations: [loginNotation()],
			format: 'armored'
		})
	);
	return token;
}

function encryptFor(
	from: Keys,
	to: Keys,
	message: Awaited<ReturnType<typeof openpgp.createMessage>>
): Promise<string> {
	return openpgp.encrypt({
		message,
		encryptionKeys: [to.publicKey, from.publicKey],
		signingKeys: from.privateKey,
		format: 'armored'
	});
}

/** `count` accounts on the relay at `origin`; account i writes to account i+1 (a ring). */
export async function makeAccounts(
	origin: string,
	count: number,
	body: (index: number) => Promise<Awaited<ReturnType<typeof openpgp.createMessage>>>
): Promise<BenchAccount[]> {
	const run = Date.now().toString(36);
	const keys = await Promise.all(
		Array.from({ length: count }, (_, index) => makeKeys(`bench-${run}-${index}@localhost`))
	);
	const tokens: string[] = [];
	// One at a time: registration is not what is measured, and it keeps the relay calm.
	for (const account of keys) tokens.push(await signIn(origin, account));
	return Promise.all(
		keys.map(async (account, index) => {
			const recipient = keys[(index + 1) % count]!;
			return {
				address: account.address,
				token: tokens[index]!,
				recipient: recipient.address,
				message: await encryptFor(account, recipient, await body(index))
			};
		})
	);
}
