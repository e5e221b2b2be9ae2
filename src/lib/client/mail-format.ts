// The plaintext inside every Letterlock message: one MIME part whose headers are the "protected
// headers" (draft-autocrypt-lamps-protected-headers, v1). Subject, From, To and Date travel only
// here, inside the encryption; the relay sees none of them.
import { MANIFEST_TYPE, type AttachmentManifest } from './attachment-manifest';
import { MailFormatError } from './mail-format-error';
import { HEADER_CUT, readBody, readHeaders, type AttachmentInfo, type BodyType } from './mime-body';
import type { SignedText } from '../crypto/types';
import { SIGNED_ORIGINAL_TYPE, signedOriginalPart } from './signed-original';

export interface MailHeaders {
	subject: string;
	from: { name: string; address: string };
	to: string[];
	date: Date;
	messageId: string;
	/** Threading (RFC 5322): the Message-ID answered, and the conversation's IDs, oldest first. */
	inReplyTo?: string;
	references?: string[];
}

export interface Mail {
	headers: MailHeaders;
	body: string;
	/** Attachments sent as blocks: each manifest becomes a part after the body. */
	manifests?: AttachmentManifest[];
	/** Forwarded messages with their senders' signatures, each a part after the attachments. */
	originals?: SignedText[];
}

/** A received mail: what the sender wrote, and in what form. */
export interface ParsedMail extends Mail {
	/** text/html only for mail made elsewhere; Letterlock itself writes plain text. */
	bodyType: BodyType;
	/** Parts other than the body, as the sender described them; never rendered. */
	attachments: AttachmentInfo[];
}

export { MailFormatError };

export function formatMail(mail: Mail): string {
	const attachments = mail.manifests ?? [];
	const originals = mail.originals ?? [];
	const body = mail.body.replace(/\r?\n/g, '\r\n');
	// Without attachments the mail stays one text part, as every earlier Letterlock wrote it.
	const boundary = `letterlock-${crypto.randomUUID()}`;
	const part = (type: string, disposition: string, text: string) => [
		`--${boundary}`,
		`Content-Type: ${type}`,
		...(disposition ? [`Content-Disposition: ${disposition}`] : []),
		'Content-Transfer-Encoding: 8bit',
		'',
		text
	];
	const content =
		attachments.length === 0 && originals.length === 0
			? ['Content-Type: text/plain; charset=utf-8; protected-headers="v1"', '', body]
			: [
					`Content-Type: multipart/mixed; boundary="${boundary}"; protected-headers="v1"`,
					'',
					...part('text/plain; charset=utf-8', '', body),
					...attachments.flatMap((manifest) =>
						part(MANIFEST_TYPE, 'attachment', JSON.stringify(manifest))
					),
					...originals.flatMap((original) =>
						part(
							SIGNED_ORIGINAL_TYPE,
							'attachment; filename="original-message.json"',
							signedOriginalPart(original)
						)
					),
					`--${boundary}--`
				];
	const lines = [
		content[0]!,
		'Content-Transfer-Encoding: 8bit',
		`Message-ID: <${mail.headers.messageId}>`,
		`Date: ${mail.headers.date.toUTCString().replace('GMT', '+0000')}`,
		`From: ${formatMailbox(mail.headers.from.name, mail.headers.from.address)}`,
		`To: ${mail.headers.to.join(', ')}`,
		`Subject: ${encodeHeaderText(mail.headers.subject)}`,
		...(mail.headers.inReplyTo ? [`In-Reply-To: <${mail.headers.inReplyTo}>`] : []),
		...(mail.headers.references?.length
			? [`References: ${mail.headers.references.map((id) => `<${id}>`).join(' ')}`]
			: []),
		...content.slice(1)
	];
	return lines.join('\r\n');
}

/** Parses a formatted mail, or any MIME message (e.g. made by GnuPG users' mail programs). */
export function parseMail(text: string): ParsedMail {
	const normalised = text.replace(/\r\n/g, '\n');
	const split = normalised.indexOf('\n\n');
	const headerBlock = split === -1 ? normalised : normalised.slice(0, split);
	const body = split === -1 ? '' : normalised.slice(split + 2);
	const headers = readHeaders(headerBlock);
	if (!headers.has('from') && !headers.has('subject')) {
		// Not MIME at all: plain text encrypted by hand (e.g. `gpg --encrypt`). Show it as the body.
		return {
			headers: {
				subject: '',
				from: { name: '', address: '' },
				to: [],
				date: new Date(0),
				messageId: ''
			},
			body: normalised,
			bodyType: 'text/plain',
			attachments: []
		};
	}
	const from = parseMailbox(headers.get('from') ?? '');
	const date = new Date(headers.get('date') ?? '');
	const [inReplyTo] = messageIds(headers.get('in-reply-to'));
	const references = messageIds(headers.get('references'));
	return {
		headers: {
			subject: decodeHeaderText(headers.get('subject') ?? ''),
			from,
			to: (headers.get('to') ?? '')
				.split(',')
				// A To header cut for length ends in a partial address, which is no one's.
				.filter((part) => !part.endsWith(HEADER_CUT))
				.map((part) => parseMailbox(part).address)
				.filter((address) => address !== ''),
			date: Number.isNaN(date.getTime()) ? new Date(0) : date,
			messageId: (headers.get('message-id') ?? '').replace(/^<|>$/g, ''),
			...(inReplyTo && { inReplyTo }),
			...(references.length > 0 && { references })
		},
		...readBody(headers, body)
	};
}

/** The `<id>` items of a header, without their angle brackets. */
function messageIds(value: string | undefined): string[] {
	return [...(value ?? '').matchAll(/<([^<>\s]{1,250})>/g)].map((match) => match[1]!);
}

function formatMailbox(name: string, address: string): string {
	if (!name) return address;
	const quoted = /^[\w .-]*$/.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
	return `${encodeHeaderText(quoted)} <${address}>`;
}

/** `Name <address>` or a bare address. Found with two searches from the end, not a regular
 * expression: the obvious /^(.*)<([^>]*)>$/ backtracks from every '<' to the end, which is
 * quadratic and froze the page for seconds on a 40,000-character From or To. */
function parseMailbox(text: string): { name: string; address: string } {
	const trimmed = text.trim();
	const close = trimmed.length - 1;
	const open = trimmed.lastIndexOf('<', close - 1);
	// The address is in the last <…> before a final '>', and holds no '>' itself.
	if (trimmed[close] !== '>' || open === -1 || trimmed.lastIndexOf('>', close - 1) > open) {
		return { name: '', address: trimmed.toLowerCase() };
	}
	const name = decodeHeaderText(trimmed.slice(0, open).trim())
		.replace(/^"(.*)"$/, '$1')
		.replace(/\\(.)/g, '$1');
	return {
		name,
		address: trimmed
			.slice(open + 1, close)
			.trim()
			.toLowerCase()
	};
}

/** RFC 2047 encoded-word for anything outside printable ASCII, so other mail readers agree. */
function encodeHeaderText(text: string): string {
	const flat = text.replace(/[\r\n]+/g, ' ');
	if (/^[\x20-\x7e]*$/.test(flat)) return flat;
	const bytes = new TextEncoder().encode(flat);
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return `=?UTF-8?B?${btoa(binary)}?=`;
}

/** Decodes RFC 2047 encoded-words; a malformed one is shown as written. */
function decodeHeaderText(text: string): string {
	return text.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (match, encoding: string, data: string) => {
		try {
			return decodeWord(encoding, data);
		} catch {
			return match;
		}
	});
}

function decodeWord(encoding: string, data: string): string {
	const binary =
		encoding.toLowerCase() === 'b'
			? atob(data)
			: data
					.replace(/_/g, ' ')
					.replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
