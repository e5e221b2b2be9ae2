// The plaintext inside every Letterlock message: one MIME part whose headers are the "protected
// headers" (draft-autocrypt-lamps-protected-headers, v1). Subject, From, To and Date travel only
// here, inside the encryption; the relay sees none of them.

export interface MailHeaders {
	subject: string;
	from: { name: string; address: string };
	to: string[];
	date: Date;
	messageId: string;
}

export interface Mail {
	headers: MailHeaders;
	body: string;
}

export class MailFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MailFormatError';
	}
}

export function formatMail(mail: Mail): string {
	const lines = [
		'Content-Type: text/plain; charset=utf-8; protected-headers="v1"',
		'Content-Transfer-Encoding: 8bit',
		`Message-ID: <${mail.headers.messageId}>`,
		`Date: ${mail.headers.date.toUTCString().replace('GMT', '+0000')}`,
		`From: ${formatMailbox(mail.headers.from.name, mail.headers.from.address)}`,
		`To: ${mail.headers.to.join(', ')}`,
		`Subject: ${encodeHeaderText(mail.headers.subject)}`,
		'',
		mail.body.replace(/\r?\n/g, '\r\n')
	];
	return lines.join('\r\n');
}

/** Parses a formatted mail, or any single-part text/plain MIME message (e.g. made by GnuPG users). */
export function parseMail(text: string): Mail {
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
			body: normalised
		};
	}
	const from = parseMailbox(headers.get('from') ?? '');
	const date = new Date(headers.get('date') ?? '');
	return {
		headers: {
			subject: decodeHeaderText(headers.get('subject') ?? ''),
			from,
			to: (headers.get('to') ?? '')
				.split(',')
				.map((part) => parseMailbox(part).address)
				.filter((address) => address !== ''),
			date: Number.isNaN(date.getTime()) ? new Date(0) : date,
			messageId: (headers.get('message-id') ?? '').replace(/^<|>$/g, '')
		},
		body
	};
}

function readHeaders(block: string): Map<string, string> {
	const headers = new Map<string, string>();
	// Folded header lines continue with whitespace (RFC 5322 section 2.2.3).
	const unfolded = block.replace(/\n[ \t]+/g, ' ');
	for (const line of unfolded.split('\n')) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const name = line.slice(0, colon).trim().toLowerCase();
		if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
	}
	return headers;
}

function formatMailbox(name: string, address: string): string {
	if (!name) return address;
	const quoted = /^[\w .-]*$/.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
	return `${encodeHeaderText(quoted)} <${address}>`;
}

function parseMailbox(text: string): { name: string; address: string } {
	const angle = /^(.*)<([^>]*)>\s*$/.exec(text.trim());
	if (!angle) return { name: '', address: text.trim().toLowerCase() };
	const name = decodeHeaderText((angle[1] ?? '').trim())
		.replace(/^"(.*)"$/, '$1')
		.replace(/\\(.)/g, '$1');
	return { name, address: (angle[2] ?? '').trim().toLowerCase() };
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

function decodeHeaderText(text: string): string {
	return text.replace(
		/=\?utf-8\?([bq])\?([^?]*)\?=/gi,
		(_match, encoding: string, data: string) => {
			const bytes =
				encoding.toLowerCase() === 'b'
					? Uint8Array.from(atob(data), (char) => char.charCodeAt(0))
					: Uint8Array.from(
							data
								.replace(/_/g, ' ')
								.replace(/=([0-9a-f]{2})/gi, (_m, hex: string) =>
									String.fromCharCode(parseInt(hex, 16))
								),
							(char) => char.charCodeAt(0)
						);
			return new TextDecoder().decode(bytes);
		}
	);
}
