// How a chunk of letter summaries is written inside its seal: rows of fixed fields, with the
// people (sender and recipients, their keys) in one table per chunk, so a sender of a thousand
// letters is written, parsed and kept in memory once. A third of the bytes of plain objects,
// and no schema library per letter: the chunk is authenticated by AES-GCM under this identity's
// key, so only our own writing opens, and the decoder checks each field's type in passing to
// refuse anything else (a bug, an older format) as a whole chunk.
import type { Folder, MessageSummary } from '../protocol/api';
import type { LetterView, Summary } from './letter-view';
import type { AddressWithKey } from './mailer';

export const FORMAT_VERSION = 2;

type Person = AddressWithKey & { name?: string };
type Row = [
	id: string,
	folder: Folder,
	envelopeFrom: string,
	receivedAt: string,
	size: number,
	imported: 0 | 1,
	view: ViewRow | null
];
type ViewRow = [
	from: number,
	to: number[],
	subject: string,
	date: string,
	signature: [state: LetterView['signature']['state'], signer: string | null, at: string | null],
	imported: 0 | 1,
	messageId: string,
	inReplyTo: string | null,
	references: string[],
	attachments: string[]
];
export interface ChunkText {
	version: typeof FORMAT_VERSION;
	people: Person[];
	rows: Row[];
}

export function encodeChunk(letters: Iterable<Summary>): ChunkText {
	const people: Person[] = [];
	const seen = new Map<string, number>();
	const personAt = (person: Person) => {
		const key = JSON.stringify(person);
		let at = seen.get(key);
		if (at === undefined) seen.set(key, (at = people.push(person) - 1));
		return at;
	};
	const rows: Row[] = [];
	for (const { summary, view } of letters) {
		rows.push([
			summary.id,
			summary.folder,
			summary.from,
			summary.receivedAt,
			summary.size,
			summary.imported ? 1 : 0,
			view && [
				personAt(view.from),
				view.to.map(personAt),
				view.subject,
				view.date,
				[view.signature.state, view.signature.signer, view.signature.signedAt],
				view.imported ? 1 : 0,
				view.messageId,
				view.inReplyTo ?? null,
				view.references,
				view.attachments.map((attachment) => attachment.name)
			]
		]);
	}
	return { version: FORMAT_VERSION, people, rows };
}

/** The letters of a chunk; throws on anything that is not a chunk as encodeChunk writes it. */
export function decodeChunk(chunk: unknown): Summary[] {
	const text = chunk as ChunkText;
	check(text?.version === FORMAT_VERSION && Array.isArray(text.people) && Array.isArray(text.rows));
	const people = text.people.map((person) => {
		check(typeof person?.address === 'string' && typeof person.conflict === 'boolean');
		return person;
	});
	const person = (at: unknown) => {
		check(typeof at === 'number' && at in people);
		return people[at as number]!;
	};
	return text.rows.map((row) => {
		check(Array.isArray(row) && row.length === 7);
		const [id, folder, from, receivedAt, size, imported, view] = row;
		check(strings(id, from, receivedAt) && (folder === 'inbox' || folder === 'sent'));
		check(typeof size === 'number');
		const summary: MessageSummary = { id, folder, from, receivedAt, size };
		if (imported === 1) summary.imported = true;
		return { summary, view: view === null ? null : viewOf(view, person) };
	});
}

function viewOf(row: ViewRow, person: (at: unknown) => Person): LetterView {
	check(Array.isArray(row) && row.length === 10);
	const [from, to, subject, date, signature, imported, messageId, inReplyTo, references, files] =
		row;
	check(strings(subject, date, messageId) && Array.isArray(to) && Array.isArray(signature));
	check(Array.isArray(references) && Array.isArray(files) && strings(...references, ...files));
	check(inReplyTo === null || typeof inReplyTo === 'string');
	const [state, signer, signedAt] = signature;
	check(['valid', 'invalid', 'unknown-key', 'unsigned'].includes(state));
	const sender = person(from);
	check(typeof sender.name === 'string');
	return {
		from: sender as LetterView['from'],
		to: to.map(person),
		subject,
		date,
		signature: { state, signer, signedAt },
		imported: imported === 1,
		messageId,
		...(inReplyTo !== null ? { inReplyTo } : {}),
		references,
		attachments: files.map((name) => ({ name }))
	};
}

const strings = (...values: unknown[]) => values.every((value) => typeof value === 'string');

function check(condition: boolean): void {
	if (!condition) throw new Error('This is not a chunk of letter summaries.');
}
