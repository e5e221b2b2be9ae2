// PUT /api/keys/{address}: the owner publishes a new version of their key. Three changes are
// possible and nothing else: the same key with newer self-signatures (a longer expiry), the same
// key revoked, or a new key whose user ID with this address the current key certifies (a
// rotation). The relay merges an update into the key it holds, so a revocation, once published,
// can never be taken back.
import * as openpgp from 'openpgp';
import { LIMITS, PublishKeyRequest, type PublishKeyResponse } from '$lib/protocol';
import { isCertifiedBy } from '$lib/protocol/certification';
import { authenticate } from './auth';
import type { RelayContext } from './context';
import { RelayError } from './errors';
import { json, readJson } from './http';
import { acceptPublicKey } from './keys';
import { addressParam } from './params';

const invalidKey = (message: string) => new RelayError(422, 'invalid-key', message);

async function readOnePublicKey(armored: string): Promise<openpgp.PublicKey> {
	const keys = await openpgp.readKeys({ armoredKeys: armored }).catch(() => {
		throw invalidKey('That public key could not be read; it is not a valid OpenPGP key block.');
	});
	if (keys.length !== 1 || keys[0]!.isPrivate()) {
		throw invalidKey('Send exactly one public key, never a private one.');
	}
	return keys[0] as openpgp.PublicKey;
}

const isRevoked = (key: openpgp.PublicKey, date: Date) =>
	key.isRevoked(undefined, undefined, date).catch(() => false);

export async function publishKey(
	ctx: RelayContext,
	request: Request,
	addressText: string | undefined
): Promise<Response> {
	const caller = await authenticate(ctx, request.headers.get('authorization'));
	const address = addressParam(addressText);
	if (caller !== address) {
		throw new RelayError(403, 'forbidden', 'You can only publish keys for your own address.');
	}
	const body = await readJson(request, PublishKeyRequest, LIMITS.bodyBytes.register);
	const account = await ctx.storage.getAccount(address);
	if (!account) throw new RelayError(404, 'unknown-address', `${address} has no account here.`);
	const now = ctx.now();
	const current = (await openpgp.readKey({ armoredKey: account.publicKey })) as openpgp.PublicKey;
	const offered = await readOnePublicKey(body.publicKey);
	if (await isRevoked(current, now)) {
		throw new RelayError(
			409,
			'key-revoked',
			'Your key is revoked, and a revoked key stays revoked; make a new address with a new key.'
		);
	}

	let change: PublishKeyResponse['change'];
	let published: { fingerprint: string; armored: string };
	if (offered.getFingerprint() === current.getFingerprint()) {
		const merged = (await current.update(offered, now)) as openpgp.PublicKey;
		if (await isRevoked(merged, now)) {
			change = 'revoked';
			published = { fingerprint: account.fingerprint, armored: merged.armor() };
		} else {
			change = 'updated';
			published = await acceptPublicKey(merged.armor(), address, now);
		}
	} else {
		published = await acceptPublicKey(body.publicKey, address, now);
		// acceptPublicKey found a valid user ID with the address; the old key must have certified
		// that one, not just any user ID of the new key.
		if (!(await isCertifiedBy(offered, current, address))) {
			throw invalidKey(
				`That key's user ID for ${address} is not certified by your current key, so it cannot replace it; certify that user ID with your current key first.`
			);
		}
		change = 'rotated';
	}

	const replaced = await ctx.storage.replaceAccountKey(
		address,
		account.fingerprint,
		{ fingerprint: published.fingerprint, publicKey: published.armored },
		now.toISOString()
	);
	if (!replaced) {
		throw new RelayError(409, 'key-changed', 'Your key changed meanwhile; reload and try again.');
	}
	const answer: PublishKeyResponse = { address, fingerprint: published.fingerprint, change };
	return json(200, answer);
}
