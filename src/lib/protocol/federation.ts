// Wire schemas between relays: the relay document each relay publishes, the signed delivery one
// relay hands another, and the signed acceptance it gets back. docs/PROTOCOL.md (Federation)
// describes the same shapes in prose.
import * as v from 'valibot';
import { AddressSchema, DomainSchema } from './address';
import { ArmoredMessage, LIMITS, StampsSchema } from './api';
import { MAX_STAMP_BITS } from './stamp';

/** An Ed25519 public key: 32 bytes in base64url, no padding. */
const Ed25519Key = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/));

/** GET /.well-known/letterlock/relay */
export const RelayDocument = v.object({
	v: v.literal(1),
	domain: DomainSchema,
	/** Where the relay's API is served: deliveries go to `${origin}/api/federation/deliveries`. */
	origin: v.pipe(v.string(), v.url(), v.maxLength(2048)),
	key: v.object({ type: v.literal('ed25519'), publicKey: Ed25519Key }),
	/** What a receiver must do with a delivery claiming this domain that is unsigned or whose
	 * signature does not verify (DMARC's `p=`). */
	policy: v.object({
		unsigned: v.picklist(['reject', 'quarantine']),
		/** Proof-of-work bits a stranger's first letter to this relay's people needs (0: none). */
		powBits: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_STAMP_BITS)))
	})
});
export type RelayDocument = v.InferOutput<typeof RelayDocument>;

/** POST /api/federation/deliveries, signed in the `Letterlock-Signature` header. */
export const DeliveryRequest = v.strictObject({
	v: v.literal(1),
	/** The sending relay's domain; the signature must verify with its published key. */
	from: DomainSchema,
	/** The receiving relay's domain, so a delivery cannot be replayed at another relay. */
	to: DomainSchema,
	/** The sender relay's message id: a second delivery with the same id stores nothing new. */
	id: v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,64}$/)),
	sender: AddressSchema,
	recipients: v.pipe(v.array(AddressSchema), v.minLength(1), v.maxLength(LIMITS.recipients)),
	message: ArmoredMessage,
	stamps: v.optional(StampsSchema),
	sentAt: v.pipe(v.string(), v.isoTimestamp())
});
export type DeliveryRequest = v.InferOutput<typeof DeliveryRequest>;

/** What the receiving relay signs: the text of this object, exactly as sent. */
export const Acceptance = v.object({
	v: v.literal(1),
	relay: DomainSchema,
	id: v.string(),
	recipients: v.array(AddressSchema),
	acceptedAt: v.pipe(v.string(), v.isoTimestamp())
});
export type Acceptance = v.InferOutput<typeof Acceptance>;

export const DeliveryResponse = v.object({
	/** JSON text of an `Acceptance`. */
	acceptance: v.pipe(v.string(), v.maxLength(64 * 1024)),
	/** Ed25519 signature (base64url) by the receiving relay's key. */
	signature: v.pipe(v.string(), v.maxLength(200))
});
