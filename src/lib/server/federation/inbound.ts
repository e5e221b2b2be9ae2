// Mail from other relays: POST /api/federation/deliveries. The body is signed by the sending
// relay's key (header `Letterlock-Signature`); the receiver checks it against the key the sending
// domain publishes, checks that the sender's address is on that domain, files the message through
// the same door as local mail, and answers with an acceptance signed by its own key.
import { createHash, randomUUID } from 'node:crypto';
import { DeliveryRequest, LIMITS, splitAddress, type Acceptance } from '$lib/protocol';
import type { RelayContext } from '../context';
import { RelayError } from '../errors';
import { json, readJsonWithBytes } from '../http';
import { acceptMessage } from '../mail';
import type { Client } from '../router';
import { DiscoveryError, type Discovery } from './discovery';
import { verifySignature, type RelayKey } from './relay-key';

/** A delivery carries one message plus its envelope and stamps. */
const DELIVERY_BYTES = LIMITS.bodyBytes.send + 512 * 1024;
const SIGNATURE = /^ed25519=([A-Za-z0-9_-]{86})$/;

export interface InboundDeps {
	discovery: Discovery;
	relayKey: () => Promise<RelayKey>;
}

export async function receiveDelivery(
	ctx: RelayContext,
	deps: InboundDeps,
	request: Request,
	client: Client
): Promise<Response> {
	const signature = SIGNATURE.exec(request.headers.get('letterlock-signature') ?? '')?.[1];
	if (!signature) {
		throw new RelayError(
			401,
			'unsigned-delivery',
			'Deliveries must be signed by the sending relay (header "Letterlock-Signature: ed25519=…").',
			{ 'www-authenticate': 'Letterlock-Signature' }
		);
	}
	// Anyone can send a body that claims to be signed; until the signature is checked (which
	// needs the body), the sender is only a network, and each network's reading costs count.
	await ctx.limits.deliveryNetwork.take(client.address);
	const { value: delivery, bytes } = await readJsonWithBytes(
		request,
		DeliveryRequest,
		DELIVERY_BYTES
	);
	if (delivery.to !== ctx.domain || delivery.from === ctx.domain) {
		throw new RelayError(
			421,
			'wrong-relay',
			`This relay is ${ctx.domain}; the delivery is addressed from ${delivery.from} to ${delivery.to}.`
		);
	}
	if (splitAddress(delivery.sender).domain !== delivery.from) {
		throw new RelayError(
			403,
			'sender-domain-mismatch',
			`The relay of ${delivery.from} cannot deliver mail from ${delivery.sender}: the sender's address must be on the sending relay's domain.`
		);
	}
	const foreign = delivery.recipients.filter(
		(address) => splitAddress(address).domain !== ctx.domain
	);
	if (foreign.length > 0) {
		throw new RelayError(
			422,
			'wrong-domain',
			`This relay hosts only @${ctx.domain}; it cannot take mail for ${foreign.join(', ')}.`
		);
	}
	// A sending domain not seen lately costs a lookup (DNS, HTTPS) before anything is verified,
	// so that counts against the per-network lookup limit; verified deliveries count against
	// their relay's own limit below.
	const lookupLimit = () => ctx.limits.lookup.take(client.address);
	const sender = await deps.discovery
		.relayFor(delivery.from, lookupLimit)
		.catch((error: unknown) => {
			if (!(error instanceof DiscoveryError)) throw error;
			// Not the sender's fault if its document is out of reach for a moment: 424 says "later".
			throw new RelayError(
				error.temporary ? 424 : 403,
				'unknown-relay',
				`The delivery cannot be checked: ${error.message}`
			);
		});
	// Letterlock relays always sign, so a receiver refuses any delivery that does not verify,
	// whatever the sending domain's published policy would allow.
	if (!verifySignature(sender.document.key.publicKey, 'letterlock-delivery-v1', bytes, signature)) {
		throw new RelayError(
			403,
			'bad-relay-signature',
			`The delivery's signature does not verify with the published key of ${delivery.from}; it was refused.`
		);
	}
	await ctx.limits.federation.take(delivery.from);

	const recipients = [...new Set(delivery.recipients)];
	const result = await acceptMessage(ctx, {
		message: {
			id: randomUUID(),
			sender: delivery.sender,
			recipients,
			fileSent: false,
			armored: delivery.message,
			size: Buffer.byteLength(delivery.message, 'utf8'),
			createdAt: ctx.now().toISOString(),
			// The sender relay's message id makes a retried delivery a replay, never a copy. The
			// sender's domain is checked above, so one relay cannot use up another's ids.
			idempotency: {
				key: `federation:${delivery.id}`,
				requestHash: createHash('sha256')
					.update(JSON.stringify([recipients, delivery.message]))
					.digest('hex')
			}
		},
		stamps: delivery.stamps
	});
	if (result.status === 'key-reused') {
		throw new RelayError(
			422,
			'idempotency-key-reused',
			`A different message with id ${delivery.id} was delivered before; the sending relay must use a new id per message.`
		);
	}
	const acceptance: Acceptance = {
		v: 1,
		relay: ctx.domain,
		id: delivery.id,
		recipients,
		acceptedAt: ctx.now().toISOString()
	};
	const text = JSON.stringify(acceptance);
	const key = await deps.relayKey();
	return json(result.status === 'stored' ? 201 : 200, {
		acceptance: text,
		signature: key.sign('letterlock-acceptance-v1', text)
	});
}
