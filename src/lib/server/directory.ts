// Public keys: the JSON lookup used by Letterlock clients, and the Web Key Directory (direct and
// advanced layouts) used by GnuPG, Thunderbird and other OpenPGP software.
//
// When several keys claim one address (a conflict), WKD serves all of them concatenated: the
// draft allows more than one key in the response, and hiding one would let the relay quietly
// pick a winner. The JSON lookup says `conflict: true` so that clients never choose by themselves.
import * as openpgp from 'openpgp';
import { splitAddress } from '$lib/protocol/address';
import {
	KeysLookupRequest,
	LIMITS,
	type KeysLookupAnswer,
	type KeysLookupResponse,
	type LookupResponse
} from '$lib/protocol';
import type { RelayContext } from './context';
import { RelayError, notFound } from './errors';
import { json, readJson } from './http';
import { addressParam } from './params';
import { wkdHash } from './wkd';

export async function lookupKeys(ctx: RelayContext, addressText: string | undefined) {
	return json(200, await directoryAnswer(ctx, addressParam(addressText)));
}

async function directoryAnswer(ctx: RelayContext, address: string): Promise<LookupResponse> {
	const keys = await ctx.storage.listDirectoryKeys(address);
	if (keys.length === 0) {
		throw new RelayError(404, 'unknown-address', `No key is published for ${address}.`);
	}
	return {
		address,
		keys: keys.map((key) => ({
			fingerprint: key.fingerprint,
			publicKey: key.publicKey,
			createdAt: key.createdAt
		})),
		conflict: keys.length > 1
	};
}

/** POST /api/keys/lookup: the answers for up to `LIMITS.lookupBatch` addresses, each as the
 * single lookup would give it; addresses of other domains are asked of their relays
 * (`remote`, which answers as GET /api/keys/:address does). */
export async function lookupMany(
	ctx: RelayContext,
	request: Request,
	remote: (address: string) => Promise<Response>
): Promise<Response> {
	const { addresses } = await readJson(request, KeysLookupRequest, LIMITS.bodyBytes.keysLookup);
	const answerFor = async (address: string): Promise<KeysLookupAnswer> => {
		try {
			const found =
				splitAddress(address).domain === ctx.domain
					? await directoryAnswer(ctx, address)
					: ((await (await remote(address)).json()) as LookupResponse);
			return { status: 'found', ...found };
		} catch (error) {
			if (!(error instanceof RelayError)) throw error;
			if (error.status === 404) return { status: 'unknown', address };
			return { status: 'unavailable', address, message: error.message };
		}
	};
	const body: KeysLookupResponse = {
		answers: await Promise.all([...new Set(addresses)].map(answerFor))
	};
	return json(200, body);
}

// Other origins' OpenPGP clients fetch keys from here, so the keys are shareable across origins.
const WKD_HEADERS = {
	'access-control-allow-origin': '*',
	'cross-origin-resource-policy': 'cross-origin',
	'cache-control': 'no-cache'
};
const WKD_HASH = /^[ybndrfg8ejkmcpqxot1uwisza345h769]{32}$/;

export function wkdPolicy(ctx: RelayContext, domain: string | undefined): Response {
	if (domain !== undefined && domain.toLowerCase() !== ctx.domain) throw notFound();
	return new Response('', {
		status: 200,
		headers: { 'content-type': 'text/plain; charset=utf-8', ...WKD_HEADERS }
	});
}

export async function wkdKeys(
	ctx: RelayContext,
	domain: string | undefined,
	hash: string | undefined,
	url: URL
): Promise<Response> {
	if (domain !== undefined && domain.toLowerCase() !== ctx.domain) throw notFound();
	if (!hash || !WKD_HASH.test(hash)) throw notFound();
	// The `l` parameter names the local part; a client that sends one must get the key for it.
	const local = url.searchParams.get('l');
	if (local !== null && wkdHash(local) !== hash) throw notFound();
	const keys = await ctx.storage.listDirectoryKeysByWkdHash(hash, ctx.domain);
	if (keys.length === 0) throw notFound();
	const binaries = await Promise.all(
		keys.map(async (key) => (await openpgp.readKey({ armoredKey: key.publicKey })).write())
	);
	const body = new Uint8Array(binaries.reduce((sum, bytes) => sum + bytes.byteLength, 0));
	let offset = 0;
	for (const bytes of binaries) {
		body.set(bytes, offset);
		offset += bytes.byteLength;
	}
	return new Response(body, {
		status: 200,
		headers: { 'content-type': 'application/octet-stream', ...WKD_HEADERS }
	});
}
