// Ciphertext the relay keeps for people who may lose their browser: one recovery backup per
// account (sealed with a recovery phrase) and short-lived transfers to a new device (sealed with
// a one-time code). The relay never sees a phrase or a code: the recovery backup is found by the
// hash of a lookup secret derived from the phrase, and a transfer by an id derived from the code.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
	LIMITS,
	RecoveryOpenRequest,
	RecoveryPutRequest,
	SECRET_TAG,
	TransferPutRequest
} from '$lib/protocol';
import { authenticate } from './auth';
import type { RelayContext } from './context';
import { RelayError, badRequest } from './errors';
import { json, readJson } from './http';
import { checkRoom } from './quota';
import type { Client } from './router';

/** A transfer waits this long for the other device, then it is gone. */
export const TRANSFER_LIFETIME_MS = 10 * 60 * 1000;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

const noRecovery = () =>
	new RelayError(
		404,
		'not-found',
		'No recovery backup matches this address and recovery phrase; check the address and every word.'
	);

const noTransfer = () =>
	new RelayError(
		404,
		'not-found',
		'This device code is unknown, already used or expired; ask the other device for a new one.'
	);

function transferId(text: string | undefined): string {
	if (!text || !SECRET_TAG.test(text)) {
		throw badRequest('A transfer id is 32 bytes in base64url (43 characters).');
	}
	return text;
}

export function backupHandlers(ctx: RelayContext) {
	const owner = (request: Request) => authenticate(ctx, request.headers.get('authorization'));

	/** The caller's transfer, or 404 for one that is not theirs, as if it did not exist. */
	async function ownTransfer(request: Request, id: string | undefined) {
		const address = await owner(request);
		const name = transferId(id);
		const transfer = await ctx.storage.backups.getTransfer(name, ctx.now().toISOString());
		if (!transfer || transfer.owner !== address) throw noTransfer();
		return { ...transfer, id: name };
	}

	return {
		async putRecovery(request: Request): Promise<Response> {
			const address = await owner(request);
			const body = await readJson(request, RecoveryPutRequest, LIMITS.bodyBytes.backup);
			const previous = await ctx.storage.backups.getRecovery(address);
			await checkRoom(ctx, address, Buffer.byteLength(body.backup, 'utf8'), {
				own: true,
				freeing: previous ? Buffer.byteLength(previous.backup, 'utf8') : 0
			});
			const updatedAt = ctx.now().toISOString();
			const outcome = await ctx.storage.backups.putRecovery({
				address,
				lookupHash: sha256(body.lookup).toString('hex'),
				backup: body.backup,
				updatedAt
			});
			return json(outcome === 'created' ? 201 : 200, { updatedAt });
		},

		async getRecovery(request: Request): Promise<Response> {
			const record = await ctx.storage.backups.getRecovery(await owner(request));
			if (!record) {
				throw new RelayError(404, 'not-found', 'There is no recovery backup for this address.');
			}
			return json(200, { updatedAt: record.updatedAt });
		},

		async deleteRecovery(request: Request): Promise<Response> {
			await ctx.storage.backups.deleteRecovery(await owner(request));
			return new Response(null, { status: 204 });
		},

		/** Anyone may ask, but only the phrase's lookup secret opens it; a wrong one and a missing
		 * backup get the same answer, so the relay does not say who keeps a recovery backup.
		 * Limited per client only: a limit per address would let a stranger use up the owner's
		 * tries, and guessing 130 bits of phrase from any number of networks is hopeless anyway. */
		async openRecovery(request: Request, client: Client): Promise<Response> {
			await ctx.limits.recovery.take(client.address);
			const body = await readJson(request, RecoveryOpenRequest, LIMITS.bodyBytes.recoveryOpen);
			const record = await ctx.storage.backups.getRecovery(body.address);
			const matches =
				record !== undefined &&
				timingSafeEqual(sha256(body.lookup), Buffer.from(record.lookupHash, 'hex'));
			if (!matches) throw noRecovery();
			return json(200, { backup: record.backup });
		},

		async putTransfer(request: Request, id: string | undefined): Promise<Response> {
			const address = await owner(request);
			const body = await readJson(request, TransferPutRequest, LIMITS.bodyBytes.backup);
			await checkRoom(ctx, address, Buffer.byteLength(body.backup, 'utf8'), { own: true });
			const now = ctx.now();
			const expiresAt = new Date(now.getTime() + TRANSFER_LIFETIME_MS).toISOString();
			const outcome = await ctx.storage.backups.createTransfer(
				{ id: transferId(id), owner: address, backup: body.backup, expiresAt },
				now.toISOString()
			);
			if (outcome === 'exists') {
				throw new RelayError(409, 'transfer-exists', 'This transfer id is taken; make a new code.');
			}
			return json(201, { expiresAt, claimed: false });
		},

		async getTransfer(request: Request, id: string | undefined): Promise<Response> {
			const { expiresAt, claimed } = await ownTransfer(request, id);
			return json(200, { expiresAt, claimed });
		},

		async deleteTransfer(request: Request, id: string | undefined): Promise<Response> {
			const transfer = await ownTransfer(request, id);
			await ctx.storage.backups.deleteTransfer(transfer.id);
			return new Response(null, { status: 204 });
		},

		/** The new device fetches the backup once, without an account: the id is its ticket. */
		async claimTransfer(id: string | undefined, client: Client): Promise<Response> {
			await ctx.limits.recovery.take(client.address);
			const backup = await ctx.storage.backups.claimTransfer(
				transferId(id),
				ctx.now().toISOString()
			);
			if (backup === undefined) throw noTransfer();
			return json(200, { backup });
		}
	};
}
