// Someone who writes letters by hand, with the client core but not through the Mailer: the
// protected headers say whatever the test wants (To and Cc full of tracker addresses, say),
// as a hostile sender's own program would write them. Signed and encrypted like any letter.
import { formatMail } from '../../src/lib/client/mail-format';
import { RelayClient } from '../../src/lib/client/relay-client';
import { CryptoEngine } from '../../src/lib/crypto/engine';

const PASSPHRASE = 'quiet harbour lantern 42';

export interface LetterWriter {
	address: string;
	fingerprint: string;
	/** Sends `reader` a letter whose headers name `to` and `cc`; returns the message id. */
	write(reader: string, letter: { to: string[]; cc?: string[]; subject: string }): Promise<string>;
}

/** A new account on the relay at `relayUrl`: its key made and unlocked, signed in. */
export async function signedInAccount(relayUrl: string, address: string) {
	const engine = new CryptoEngine();
	const identity = await engine.generateIdentity({
		name: address,
		address,
		passphrase: PASSPHRASE
	});
	await engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase: PASSPHRASE });
	const client = new RelayClient(relayUrl);
	await client.register(address, identity.publicKey);
	await client.login(address, (challenge) => engine.signLogin(challenge));
	return { engine, identity, client };
}

/** Registers `address` on the relay at `relayUrl` and signs in. */
export async function letterWriter(relayUrl: string, address: string): Promise<LetterWriter> {
	const { engine, identity, client } = await signedInAccount(relayUrl, address);
	// Looked up once per reader: a writer of thousands of letters stays under the lookup limit.
	const readerKeys = new Map<string, Promise<string>>();
	const readerKey = (reader: string) => {
		if (!readerKeys.has(reader)) {
			readerKeys.set(
				reader,
				client.lookup(reader).then((answer) => answer.keys[0]!.publicKey)
			);
		}
		return readerKeys.get(reader)!;
	};
	return {
		address,
		fingerprint: identity.fingerprint,
		async write(reader, { to, cc = [], subject }) {
			const text = formatMail({
				headers: {
					subject,
					from: { name: address, address },
					to,
					date: new Date(),
					messageId: `${crypto.randomUUID()}@localhost`
				},
				body: `Write back to ${[...to, ...cc].join(', ')} if you like.`
			}).replace(
				'\r\nSubject:',
				cc.length > 0 ? `\r\nCc: ${cc.join(', ')}\r\nSubject:` : '\r\nSubject:'
			);
			const message = await engine.encryptAndSign({
				text,
				recipientKeys: [await readerKey(reader)]
			});
			return (await client.send([reader], message)).id;
		}
	};
}
