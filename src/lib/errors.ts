// The one base of every error Letterlock raises on purpose: a stable `kind` for code to switch
// on, the typed `params` a sentence needs, and the `cause` underneath. An error carries no words
// of its own: lib/strings/errors.ts turns its facts into the sentence shown (the CLI's output
// module adds its commands to it), so a translation covers relay, crypto and client errors, and
// nothing a relay wrote can reach the screen by travelling inside an error.
import type { ListChange } from './client/list-pins';
import { errorSentence } from './strings/errors';

/** Why a login challenge was refused unsigned (client/login-challenge.ts). */
export type ChallengeRefusal =
	| { reason: 'old-format' | 'not-a-challenge' | 'too-long' | 'expired' }
	| { reason: 'other-relay'; named: string; expected: string }
	| { reason: 'other-address'; named: string; expected: string };

/** A relay's refusal as the client understood it. `kind` is the relay's own (any string: a
 * sentence exists only for kinds this client knows) or one of the client's: 'offline',
 * 'bad-response', 'http', 'refused-challenge'. */
export interface RelayErrorParams {
	status: number;
	/** From a 429's Retry-After: how long the relay asks us to wait. */
	retryAfterSeconds?: number;
	/** Valid addresses the relay named as the subject of its refusal (see docs/PROTOCOL.md). */
	addresses: string[];
	/** For 'refused-challenge'. */
	refusal?: ChallengeRefusal;
}

export type CryptoErrorKind = keyof CryptoErrorParams;

export type DamagedPart = 'message' | 'signature' | 'file' | 'block';

/** Each crypto kind's parameters; all plain data, so they cross the worker boundary. */
export interface CryptoErrorParams {
	locked: Record<never, never>;
	'wrong-passphrase': { of: 'key' | 'file' | 'new-passphrase' };
	'bad-key':
		| { reason: 'no-user-id'; address: string }
		| { reason: 'not-the-unlocked-key' | 'unreadable-public-key' | 'unreadable-secret-key' };
	'bad-message':
		| { reason: 'too-large'; limitMiB: number }
		| { reason: 'not-signed' }
		| { reason: 'damaged'; part: DamagedPart };
	'not-for-you': Record<never, never>;
	'unusable-recipient-key': { fingerprint: string };
	'not-a-challenge': Record<never, never>;
}

/** A recipient the directory serves another key for than the one pinned on this device. */
export interface KeyChange {
	address: string;
	pinned: string;
	served: string[];
}

/** Why a letter cannot go to the addresses written: outcomes a sender meets and acts on, so
 * `Mailer.resolveEnvelope` returns them (a MailerError carries one when sending goes ahead
 * without looking). `addresses` are the ones a form marks. */
export type RecipientProblem =
	| { kind: 'no-recipients'; addresses: [] }
	| {
			kind:
				| 'invalid-address'
				| 'unknown-recipient'
				| 'key-missing'
				| 'key-conflict'
				| 'key-revoked'
				| 'no-key-offline';
			addresses: string[];
	  }
	| { kind: 'key-changed' | 'key-rotated'; addresses: string[]; changes: KeyChange[] }
	| { kind: 'list-changed'; addresses: string[]; changes: ListChange[] };

/** Marking keys verified and taking over rotations (client/trust.ts, verification-code.ts). */
export interface TrustErrorParams {
	'not-a-fingerprint': { text: string };
	'fingerprint-mismatch': { address: string };
	'not-certified': { address: string };
	'not-a-contact': { address: string };
	'not-a-key-code': Record<never, never>;
	'code-for-other-address': { codeFor: string; address: string };
}

/** Which block of which attachment (1-based, as people count). */
export interface BlockOf {
	name: string;
	block: number;
	blocks: number;
}

/** Sending and receiving attachments (client/attachments.ts). */
export interface AttachmentErrorParams {
	'file-changed': { name: string };
	'inconsistent-manifest': { name: string };
	/** `reason`: why the block could not be had (the relay's refusal, or being offline). */
	'block-unavailable': BlockOf & { reason?: ErrorFacts };
	'block-damaged': BlockOf & { hash: string };
	'block-undecryptable': BlockOf;
	'block-wrong-length': BlockOf;
}

/** The client core's own refusals of what was typed or opened. */
export interface ClientErrorParams {
	'group-unnamed': Record<never, never>;
	'group-empty': Record<never, never>;
	'invalid-addresses': { addresses: string[] };
	'phrase-length': { words: number; expected: number };
	'phrase-word': { position: number; word: string };
	'device-code-length': { expected: number };
	'not-a-backup': Record<never, never>;
}

type FactsOf<D extends string, P> = {
	[K in keyof P & string]: { domain: D; kind: K; params: P[K] };
}[keyof P & string];

/** Everything a sentence is made from: which part failed, how, and the values it names. */
export type ErrorFacts =
	| { domain: 'relay'; kind: string; params: RelayErrorParams }
	| FactsOf<'crypto', CryptoErrorParams>
	| FactsOf<'trust', TrustErrorParams>
	| FactsOf<'attachment', AttachmentErrorParams>
	| FactsOf<'client', ClientErrorParams>
	| { domain: 'mail-format'; kind: 'damaged-part'; params: Record<never, never> }
	| { domain: 'mailer'; kind: RecipientProblem['kind']; params: RecipientProblem };

/** One domain's facts without the domain: a kind with its own parameters (distributed, so
 * another kind's parameters are a type error). */
export type ErrorInit<D extends ErrorFacts['domain']> =
	Extract<ErrorFacts, { domain: D }> extends infer F
		? F extends ErrorFacts
			? Omit<F, 'domain'>
			: never
		: never;

export class LetterlockError<F extends ErrorFacts = ErrorFacts> extends Error {
	readonly domain: F['domain'];
	readonly kind: F['kind'];
	readonly params: F['params'];

	/** `message` is the English sentence, for logs and tests; screens ask lib/strings again. */
	constructor(facts: F, options: { cause?: unknown } = {}) {
		super(errorSentence(facts), options);
		this.domain = facts.domain;
		this.kind = facts.kind;
		this.params = facts.params;
	}

	/** The facts alone, as plain data (e.g. to cross the worker boundary). */
	get facts(): F {
		return { domain: this.domain, kind: this.kind, params: this.params } as F;
	}
}

export function isLetterlockError(error: unknown): error is LetterlockError {
	return error instanceof LetterlockError;
}
