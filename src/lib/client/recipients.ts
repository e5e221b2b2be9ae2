// Who a letter goes to and which keys it is encrypted to, with the trust checks that stop a
// send. Every way the addresses written cannot be written to yet (a key that changed, rotated,
// conflicts, is revoked or missing; a list whose members changed) is an outcome the sender
// meets and acts on, so it comes back as a value the caller switches on, never an exception.
import type { CryptoApi } from '../crypto/types';
import type { KeyChange, RecipientProblem } from '../errors';
import { isValidAddress, normaliseAddress } from '../protocol/address';
import type { LookupResponse } from '../protocol/api';
import { assessAnswer } from './key-trust';
import { listChange, type ListBook, type ListChange } from './list-pins';
import { MailerError } from './mailer-error';
import type { Recipient, ResolvedList } from './mailer-types';
import type { RelayClient } from './relay-client';
import type { Assessment, ContactBook, Trust } from './trust';

/** What resolving needs: the pins on this device, the relay's lists and the directory. */
export interface RecipientSources {
	contacts: ContactBook;
	lists: ListBook;
	crypto: CryptoApi;
	relay: Pick<RelayClient, 'getList'>;
	lookup(address: string, fresh: boolean): Promise<LookupResponse | null>;
}

export interface Envelope {
	/** The keys to encrypt to. */
	recipients: Recipient[];
	/** The addresses to send to: people, and lists by their own address. */
	envelope: string[];
	lists: ResolvedList[];
}

export type Resolution = ({ kind: 'ready' } & Envelope) | RecipientProblem;

/** The written addresses, each once and normalised, or why they cannot be used. */
function uniqueAddresses(addresses: string[]): string[] | RecipientProblem {
	const cleaned = addresses.map((address) => address.trim()).filter((address) => address !== '');
	if (cleaned.length === 0) return { kind: 'no-recipients', addresses: [] };
	const invalid = cleaned.filter((address) => !isValidAddress(address));
	if (invalid.length > 0) return { kind: 'invalid-address', addresses: invalid };
	return [...new Set(cleaned.map(normaliseAddress))];
}

/** The keys to encrypt to and the addresses to send to. A mailing list on the relay is sent to
 * by its address (the relay files the mail for each member) but encrypted to each member's key,
 * with the same trust checks as writing to each of them. The relay says who the members are, so
 * only an address without a key that is no contact can be a list, and its membership is pinned
 * on first use: any change is a 'list-changed' outcome until the sender accepts it.
 * `keepPinned`: addresses whose key changed (or is no longer served), for which the user chose
 * to keep using the key pinned before. */
export async function resolveEnvelope(
	sources: RecipientSources,
	to: string[],
	keepPinned: string[] = []
): Promise<Resolution> {
	const unique = uniqueAddresses(to);
	if (!Array.isArray(unique)) return unique;
	try {
		return await resolveUnique(sources, unique, keepPinned);
	} catch (error) {
		// A key never seen while offline: the directory's way of saying so, an outcome too.
		if (error instanceof MailerError) return error.problem;
		throw error;
	}
}

async function resolveUnique(
	sources: RecipientSources,
	unique: string[],
	keepPinned: string[]
): Promise<Resolution> {
	// Asked afresh before every send: a key swapped since the last lookup must be noticed.
	const answers = await Promise.all(unique.map((address) => sources.lookup(address, true)));
	const found = await Promise.all(
		unique.map((address, index) => asList(sources, address, answers[index]!))
	);
	const changes = found.flatMap((entry) => (entry?.change ? [entry.change] : []));
	if (changes.length > 0) {
		return { kind: 'list-changed', addresses: changes.map((change) => change.address), changes };
	}
	const lists = found.flatMap((entry) => (entry?.members ? [entry] : []));
	const direct = unique.filter((_, index) => !found[index]?.members);
	const members = [...new Set(lists.flatMap((list) => list.members!))].filter(
		(member) => !direct.includes(member)
	);
	const memberAnswers = await Promise.all(members.map((member) => sources.lookup(member, true)));
	const checked = await checkKeys(
		sources,
		[...direct, ...members],
		[...direct.map((address) => answers[unique.indexOf(address)]!), ...memberAnswers],
		keepPinned
	);
	if (!Array.isArray(checked)) return checked;
	const byAddress = new Map(checked.map((recipient) => [recipient.address, recipient]));
	for (const list of lists) {
		if (!list.pinned) await sources.lists.pin(list.address, list.members!);
	}
	return {
		kind: 'ready',
		recipients: checked,
		envelope: [...direct, ...lists.map((list) => list.address)],
		lists: lists.map((list) => ({
			address: list.address,
			members: list.members!.map((member) => byAddress.get(member)!)
		}))
	};
}

/** The keys for `unique` addresses given the directory's `answers`, or the first trust problem. */
async function checkKeys(
	sources: RecipientSources,
	unique: string[],
	answers: Array<LookupResponse | null>,
	keepPinnedList: string[]
): Promise<Recipient[] | RecipientProblem> {
	const keepPinned = new Set(keepPinnedList.map(normaliseAddress));
	const pins = await Promise.all(unique.map((address) => sources.contacts.get(address)));
	const keyless = unique.filter((_, index) => answers[index] === null);
	const unknown = keyless.filter((address) => !pins[unique.indexOf(address)]);
	if (unknown.length > 0) return { kind: 'unknown-recipient', addresses: unknown };
	// A contact whose key the relay stops serving is not someone else (nor a list) now.
	const missing = keyless.filter((address) => !keepPinned.has(address));
	if (missing.length > 0) return { kind: 'key-missing', addresses: missing };
	const assessments = await Promise.all(
		unique.map((address, index) =>
			assessAnswer(sources.contacts, sources.crypto, address, answers[index]!)
		)
	);
	const withTrust = (trust: Trust) =>
		unique.filter((address, index) => {
			if (assessments[index]!.trust !== trust) return false;
			return !((trust === 'changed' || trust === 'rotated') && keepPinned.has(address));
		});
	const conflicted = withTrust('conflict');
	if (conflicted.length > 0) return { kind: 'key-conflict', addresses: conflicted };
	for (const [trust, kind] of [
		['changed', 'key-changed'],
		['rotated', 'key-rotated']
	] as const) {
		const addresses = withTrust(trust);
		if (addresses.length > 0) {
			const changes = addresses.map((address) =>
				keyChange(address, assessments[unique.indexOf(address)]!)
			);
			return { kind, addresses, changes };
		}
	}
	const revoked = withTrust('revoked');
	if (revoked.length > 0) return { kind: 'key-revoked', addresses: revoked };
	return unique.map((address, index) => {
		const { key, pinned, trust } = assessments[index]!;
		const chosen = key ?? pinned!;
		return {
			address,
			fingerprint: chosen.fingerprint,
			publicKey: chosen.publicKey,
			trust,
			...(pinned?.name ? { name: pinned.name } : {})
		};
	});
}

/** The key kept on this device and the keys served now, for the sender to compare. */
function keyChange(address: string, assessment: Assessment): KeyChange {
	return {
		address,
		pinned: assessment.pinned?.fingerprint ?? '',
		served: assessment.served.map((key) => key.fingerprint)
	};
}

/** What `address` is for writing to: a list (its members now), a change from the list kept on
 * this device, or null for an address that is written to directly. */
async function asList(
	sources: RecipientSources,
	address: string,
	answer: LookupResponse | null
): Promise<{
	address: string;
	members?: string[];
	pinned?: boolean;
	change?: ListChange;
} | null> {
	const pinnedList = await sources.lists.get(address);
	if (answer !== null) {
		// A key where a list was: its members would silently give way to that key's owner.
		return pinnedList ? { address, change: listChange(pinnedList, null)! } : null;
	}
	// A contact's key that goes missing is never a list, whatever the relay says.
	if (await sources.contacts.get(address)) return null;
	const list = await sources.relay.getList(address).catch(() => null);
	if (!list) return null;
	const members = [...new Set(list.members.map(normaliseAddress))].sort();
	const change = pinnedList ? listChange(pinnedList, members) : null;
	if (change) return { address, change };
	return { address, members, pinned: pinnedList !== undefined };
}
