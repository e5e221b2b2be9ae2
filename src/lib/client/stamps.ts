// Before a message goes to the outbox: ask the relay which recipients need a proof-of-work stamp
// from us (people who do not know us yet) and compute one per such recipient. The search itself
// is pluggable: a Web Worker in the browser, in-process in the CLI.
import { normaliseAddress } from '../protocol/address';
import { sha256Hex, utcDay, type StampFields } from '../protocol/stamp';
import { expectedTries, mintStamp, type MintOptions } from './stamp-mint';
import type { PreparedMessage } from './outbox';
import { RelayError, type RelayClient } from './relay-client';

export type Minter = (fields: StampFields, options: MintOptions) => Promise<string>;

export interface StampOptions {
	mint?: Minter;
	/** Called as work proceeds, with the fraction done (0 to 1) over every stamp needed. */
	onProgress?: (fraction: number) => void;
	signal?: AbortSignal;
	now?: () => Date;
}

/** The stamps the relay wants from us for `recipient`: one for a person, one per member who
 * does not know us for a mailing list (each member is a first contact of their own). A
 * recipient the relay cannot speak for (on another relay, or while offline) gets no stamp here;
 * its relay says so if it needs one. */
async function stampsWanted(
	relay: RelayClient,
	recipient: string
): Promise<{ recipient: string; bits: number }[]> {
	try {
		const answer = await relay.powFor(recipient);
		const members = (answer.members ?? []).map((member) => ({
			recipient: member.address,
			bits: member.bits
		}));
		return [{ recipient, bits: answer.bits }, ...members];
	} catch (error) {
		if (error instanceof RelayError && error.status !== 401) return [];
		throw error;
	}
}

/** Stamps by recipient for `prepared`, or undefined when no recipient needs one. */
export async function stampMessage(
	relay: RelayClient,
	prepared: PreparedMessage,
	options: StampOptions = {}
): Promise<Record<string, string> | undefined> {
	const sender = normaliseAddress(prepared.from);
	const others = prepared.to.filter((recipient) => recipient !== sender);
	const wanted = await Promise.all(others.map((recipient) => stampsWanted(relay, recipient)));
	// A person named directly and on a list needs one stamp, not two.
	const needed = [
		...new Map(
			wanted
				.flat()
				.filter((entry) => entry.bits > 0 && entry.recipient !== sender)
				.map((entry) => [entry.recipient, entry])
		).values()
	];
	if (needed.length === 0) return undefined;

	const mint = options.mint ?? mintStamp;
	const messageHash = await sha256Hex(prepared.message);
	const day = utcDay((options.now ?? (() => new Date()))());
	const total = needed.reduce((sum, entry) => sum + expectedTries(entry.bits), 0);
	let done = 0;
	const stamps: Record<string, string> = {};
	options.onProgress?.(0);
	for (const { recipient, bits } of needed) {
		const expected = expectedTries(bits);
		stamps[recipient] = await mint(
			{ bits, day, sender, recipient, messageHash },
			{
				signal: options.signal,
				// Luck decides the real count: a search may run past its expected share.
				onTried: (tried) => options.onProgress?.((done + Math.min(tried, expected * 0.99)) / total)
			}
		);
		done += expected;
		options.onProgress?.(done / total);
	}
	return stamps;
}
