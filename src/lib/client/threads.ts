// Conversations: messages that answer one another, linked by the Message-ID, In-Reply-To and
// References inside the encryption (so the relay cannot thread). Any shared ID joins two
// messages into one conversation, which also copes with a missing message in the middle.
import type { MailboxEntry } from './mailbox.svelte';
import { compareText } from './order';

/** A conversation key per entry (entries without IDs are each their own conversation). */
export function conversations(entries: MailboxEntry[]): Map<MailboxEntry, string> {
	const parent = new Map<string, string>();
	const root = (id: string): string => {
		let current = id;
		while (parent.get(current) !== current) current = parent.get(current) ?? current;
		parent.set(id, current);
		return current;
	};
	const join = (a: string, b: string) => {
		for (const id of [a, b]) if (!parent.has(id)) parent.set(id, id);
		const [ra, rb] = [root(a), root(b)];
		if (ra !== rb) parent.set(ra, rb);
	};
	const idsOf = (entry: MailboxEntry): string[] => {
		const mail = entry.view;
		if (!mail?.messageId) return [`relay:${entry.summary.id}`];
		return [mail.messageId, ...(mail.inReplyTo ? [mail.inReplyTo] : []), ...mail.references];
	};
	const firsts = entries.map((entry) => {
		const [first, ...rest] = idsOf(entry);
		join(first!, first!);
		for (const id of rest) join(first!, id);
		return first!;
	});
	return new Map(entries.map((entry, at) => [entry, root(firsts[at]!)]));
}

/** Newest conversation first; within one, oldest message first, so it reads top to bottom. */
export function groupedByConversation(entries: MailboxEntry[]): MailboxEntry[][] {
	const keys = conversations(entries);
	const groups = new Map<string, MailboxEntry[]>();
	for (const entry of entries) {
		const key = keys.get(entry)!;
		const group = groups.get(key);
		if (group) group.push(entry);
		else groups.set(key, [entry]);
	}
	const when = (entry: MailboxEntry) => entry.view?.date ?? entry.summary.receivedAt;
	// Mail dates count whole seconds, so a quick answer can share its question's date: the
	// relay's arrival time (milliseconds) puts them in order then.
	const earlier = (a: MailboxEntry, b: MailboxEntry) =>
		compareText(when(a), when(b)) || compareText(a.summary.receivedAt, b.summary.receivedAt);
	const sorted = [...groups.values()].map((group) => {
		group.sort(earlier);
		return { group, newest: group.reduce((last, entry) => maxText(last, when(entry)), '') };
	});
	return sorted.sort((a, b) => compareText(b.newest, a.newest)).map(({ group }) => group);
}

const maxText = (a: string, b: string) => (a < b ? b : a);
