// The outbound queue's worker: claims due items (a lease, so that relay processes sharing a
// database never deliver one item twice at once), delivers each to its domain's relay signed by
// this relay's key, keeps the signed acceptance, and otherwise retries with exponential backoff
// until it gives up and bounces the message to the sender.
import * as v from 'valibot';
import { randomUUID } from 'node:crypto';
import { Acceptance, DeliveryResponse, ErrorBody, type DeliveryRequest } from '$lib/protocol';
import type { RelayContext } from '../context';
import type { OutboundItem, OutboundOutcome } from '../storage/types';
import { bounceFor } from './bounce';
import { DiscoveryError, type Discovery } from './discovery';
import { ForbiddenTargetError, type FederationFetch } from './fetcher';
import { verifySignature, type RelayKey } from './relay-key';

export interface RetryPolicy {
	/** Delay after the first failed attempt; each further failure doubles it. */
	firstDelayMs: number;
	maxDelayMs: number;
	/** Measured from queueing: after this the message bounces. */
	giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
	firstDelayMs: 60_000,
	maxDelayMs: 6 * 3600_000,
	giveUpAfterMs: 5 * 24 * 3600_000
};

export interface OutboundOptions {
	discovery: Discovery;
	fetch: FederationFetch;
	relayKey: () => Promise<RelayKey>;
	retry: RetryPolicy;
	/** How often the queue is polled when nothing wakes the worker. */
	pollMs: number;
	/** How long a claim lasts: longer than any one delivery may take. */
	leaseMs: number;
	/** Items claimed at once; they are delivered in parallel. */
	batch: number;
}

export interface OutboundWorker {
	/** Look at the queue now (mail was just queued). */
	kick(): void;
	/** Stops polling and waits for deliveries in flight. */
	stop(): Promise<void>;
}

/** Answers that say "try later" rather than "never". */
const TEMPORARY = new Set([408, 421, 423, 424, 425, 429]);

class Permanent extends Error {}

export function startOutboundWorker(ctx: RelayContext, options: OutboundOptions): OutboundWorker {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let running: Promise<void> | undefined;
	let again = false;

	async function deliver(item: OutboundItem): Promise<OutboundOutcome> {
		const relay = await options.discovery.relayFor(item.domain).catch((error: unknown) => {
			if (error instanceof DiscoveryError && !error.temporary) throw new Permanent(error.message);
			throw error;
		});
		const request: DeliveryRequest = {
			v: 1,
			from: ctx.domain,
			to: item.domain,
			id: item.messageId,
			sender: item.sender,
			recipients: item.recipients,
			message: item.armored,
			...(item.stamps ? { stamps: item.stamps } : {}),
			sentAt: ctx.now().toISOString()
		};
		const body = JSON.stringify(request);
		const key = await options.relayKey();
		const answer = await options
			.fetch(`${relay.origin}/api/federation/deliveries`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'letterlock-signature': `ed25519=${key.sign('letterlock-delivery-v1', body)}`
				},
				body
			})
			.catch((error: unknown) => {
				// Waiting does not make loopback or a private network an address relays connect to.
				if (error instanceof ForbiddenTargetError) throw new Permanent(error.message);
				throw error;
			});
		if (answer.status === 200 || answer.status === 201) {
			const accepted = parseAcceptance(answer.body, relay.document.key.publicKey);
			if (!accepted || accepted.relay !== item.domain || accepted.id !== item.messageId) {
				throw new Error(`The relay of ${item.domain} answered without a valid signed acceptance.`);
			}
			return {
				state: 'delivered',
				at: accepted.acceptedAt,
				acceptance: accepted.text,
				signature: accepted.signature
			};
		}
		const reason = refusal(answer.body) ?? `HTTP ${answer.status}`;
		if (answer.status >= 400 && answer.status < 500 && !TEMPORARY.has(answer.status)) {
			throw new Permanent(`the relay of ${item.domain} refused it: ${reason}`);
		}
		throw new Error(`the relay of ${item.domain} answered: ${reason}`);
	}

	async function settle(item: OutboundItem): Promise<void> {
		let outcome: OutboundOutcome;
		try {
			outcome = await deliver(item);
		} catch (error) {
			outcome = await failure(item, error);
		}
		await ctx.storage.settleOutbound(item, outcome);
		ctx.logger.info({ federation: item.domain, attempt: item.attempts, outcome: outcome.state });
	}

	async function failure(item: OutboundItem, error: unknown): Promise<OutboundOutcome> {
		const problem = error instanceof Error ? error.message : String(error);
		const now = ctx.now();
		const delay = Math.min(
			options.retry.maxDelayMs,
			options.retry.firstDelayMs * 2 ** Math.max(0, item.attempts - 1)
		);
		const next = now.getTime() + delay;
		const deadline = Date.parse(item.queuedAt) + options.retry.giveUpAfterMs;
		if (!(error instanceof Permanent) && next <= deadline) {
			return { state: 'retry', nextAttemptAt: new Date(next).toISOString(), problem };
		}
		// An account deleted meanwhile has no inbox to bounce to.
		const account = await ctx.storage.getAccount(item.sender);
		const bounce = account
			? await bounceFor(item, problem, { domain: ctx.domain, senderKey: account.publicKey, now })
			: undefined;
		return { state: 'failed', at: now.toISOString(), problem, bounce };
	}

	async function drain(): Promise<void> {
		do {
			again = false;
			const now = ctx.now();
			const items = await ctx.storage.claimOutbound(
				now.toISOString(),
				new Date(now.getTime() + options.leaseMs).toISOString(),
				randomUUID(),
				options.batch
			);
			await Promise.all(items.map(settle));
			if (items.length === options.batch) again = true;
		} while (again && !stopped);
	}

	function run(): void {
		if (stopped) return;
		if (running) {
			again = true;
			return;
		}
		clearTimeout(timer);
		running = drain()
			.catch((error: unknown) => {
				ctx.logger.error(
					{ federation: 'queue', error: { message: (error as Error).message } },
					'outbound queue'
				);
			})
			.finally(() => {
				running = undefined;
				if (!stopped) timer = setTimeout(run, options.pollMs);
			});
	}

	timer = setTimeout(run, 0);
	return {
		kick: run,
		async stop() {
			stopped = true;
			clearTimeout(timer);
			await running;
		}
	};
}

function parseAcceptance(
	body: string,
	publicKey: string
): (Acceptance & { text: string; signature: string }) | undefined {
	try {
		const response = v.parse(DeliveryResponse, JSON.parse(body));
		if (
			!verifySignature(
				publicKey,
				'letterlock-acceptance-v1',
				response.acceptance,
				response.signature
			)
		) {
			return undefined;
		}
		const acceptance = v.parse(Acceptance, JSON.parse(response.acceptance));
		return { ...acceptance, text: response.acceptance, signature: response.signature };
	} catch {
		return undefined;
	}
}

function refusal(body: string): string | undefined {
	try {
		return v.parse(ErrorBody, JSON.parse(body)).error.message;
	} catch {
		return undefined;
	}
}
