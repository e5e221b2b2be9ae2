// The body of a MIME message as Letterlock shows it: one text part (plain by preference, HTML
// only when there is nothing else) and a list of the other parts. Everything here comes from the
// sender: a part's name and type are claims, never reasons to render it.
import { MANIFEST_TYPE, readManifest, type AttachmentManifest } from './attachment-manifest';
import type { SignedText } from '../crypto/types';
import { MailFormatError } from './mail-format-error';
import { SIGNED_ORIGINAL_TYPE, readSignedOriginal } from './signed-original';

export type BodyType = 'text/plain' | 'text/html';

export interface AttachmentInfo {
	/** The file name the sender gave, exactly (the UI warns about deceptive characters). */
	name: string;
	/** The media type the sender claimed, lowercased. */
	type: string;
	/** Decoded size in bytes. */
	size: number;
	/** For a Letterlock attachment: where its encrypted blocks are and how to open them. */
	manifest?: AttachmentManifest;
	/** For a forwarded original with its sender's signature: checked on request. */
	original?: SignedText;
}

export interface MimeBody {
	bodyType: BodyType;
	body: string;
	attachments: AttachmentInfo[];
}

/** Nested multiparts deeper than this are listed, not opened: no real mail needs more. */
const MAX_DEPTH = 4;

/** The longest header value kept. A To of 100 recipients with names is about 30,000
 * characters; anything longer is a sender trying to slow the reader down, and is cut. */
export const MAX_HEADER_CHARS = 32 * 1024;
/** Ends a header value that was cut, so the reader sees that there was more. */
export const HEADER_CUT = ' […]';

export function readHeaders(block: string): Map<string, string> {
	const headers = new Map<string, string>();
	// Folded header lines continue with whitespace (RFC 5322 section 2.2.3).
	const unfolded = block.replace(/\n[ \t]+/g, ' ');
	for (const line of unfolded.split('\n')) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const name = line.slice(0, colon).trim().toLowerCase();
		if (headers.has(name)) continue;
		const value = line.slice(colon + 1).trim();
		headers.set(
			name,
			value.length > MAX_HEADER_CHARS ? value.slice(0, MAX_HEADER_CHARS) + HEADER_CUT : value
		);
	}
	return headers;
}

/** Splits `type/subtype; a=b; c="d"` into the lowercased media type and its parameters. */
function parseContentType(value: string | undefined): {
	type: string;
	params: Map<string, string>;
} {
	const [type = '', ...rest] = (value ?? 'text/plain').split(';');
	const params = new Map<string, string>();
	for (const param of rest) {
		const eq = param.indexOf('=');
		if (eq <= 0) continue;
		const name = param.slice(0, eq).trim().toLowerCase();
		params.set(
			name,
			param
				.slice(eq + 1)
				.trim()
				.replace(/^"(.*)"$/, '$1')
		);
	}
	return { type: type.trim().toLowerCase() || 'text/plain', params };
}

function decodeBase64(text: string): Uint8Array {
	try {
		return Uint8Array.from(atob(text.replace(/[^A-Za-z0-9+/]/g, '')), (c) => c.charCodeAt(0));
	} catch (error) {
		throw new MailFormatError({ cause: error });
	}
}

function decodeQuotedPrintable(text: string): Uint8Array {
	const bytes: number[] = [];
	const joined = text.replace(/=\r?\n/g, '');
	for (let i = 0; i < joined.length; i++) {
		const hex = joined[i] === '=' ? joined.slice(i + 1, i + 3) : '';
		if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else {
			bytes.push(...new TextEncoder().encode(joined[i]));
		}
	}
	return new Uint8Array(bytes);
}

function decodeText(bytes: Uint8Array, charset: string | undefined): string {
	try {
		return new TextDecoder(charset ?? 'utf-8').decode(bytes);
	} catch {
		// An unknown charset label: UTF-8 shows most text correctly and never throws.
		return new TextDecoder().decode(bytes);
	}
}

interface Part {
	headers: Map<string, string>;
	raw: string;
}

function splitPart(text: string): Part {
	const split = text.indexOf('\n\n');
	if (split === -1) return { headers: readHeaders(text), raw: '' };
	return { headers: readHeaders(text.slice(0, split)), raw: text.slice(split + 2) };
}

function splitMultipart(raw: string, boundary: string): string[] {
	const delimiter = `--${boundary}`;
	const parts: string[] = [];
	const lines = raw.split('\n');
	let current: string[] | null = null;
	for (const line of lines) {
		const trimmed = line.trimEnd();
		if (trimmed === delimiter || trimmed === `${delimiter}--`) {
			if (current) parts.push(current.join('\n'));
			current = trimmed === delimiter ? [] : null;
			if (!current) break;
		} else if (current) {
			current.push(line);
		}
	}
	return parts;
}

function decodedBytes(part: Part): Uint8Array | string {
	const encoding = part.headers.get('content-transfer-encoding')?.toLowerCase();
	if (encoding === 'base64') return decodeBase64(part.raw);
	if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.raw);
	return part.raw;
}

function fileName(part: Part, params: Map<string, string>): string {
	const disposition = parseContentType(part.headers.get('content-disposition'));
	return disposition.params.get('filename') ?? params.get('name') ?? 'unnamed';
}

function collect(part: Part, depth: number, out: MimeBody): void {
	const { type, params } = parseContentType(part.headers.get('content-type'));
	const boundary = params.get('boundary');
	if (type.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
		for (const child of splitMultipart(part.raw, boundary))
			collect(splitPart(child), depth + 1, out);
		return;
	}
	const decoded = decodedBytes(part);
	const isAttachment = /^attachment\b/i.test(part.headers.get('content-disposition') ?? '');
	const textual = type === 'text/plain' || type === 'text/html';
	// Plain text wins over HTML; the first text part of each kind is the body.
	const better = type === 'text/plain' ? out.bodyType !== 'text/plain' || !out.body : !out.body;
	if (textual && !isAttachment && better) {
		out.body = typeof decoded === 'string' ? decoded : decodeText(decoded, params.get('charset'));
		out.bodyType = type;
		return;
	}
	if (textual && !isAttachment) return;
	const manifest =
		type === MANIFEST_TYPE
			? readManifest(typeof decoded === 'string' ? decoded : decodeText(decoded, 'utf-8'))
			: undefined;
	if (manifest) {
		out.attachments.push({
			name: manifest.name,
			type: manifest.type,
			size: manifest.size,
			manifest
		});
		return;
	}
	const size =
		typeof decoded === 'string' ? new TextEncoder().encode(decoded).byteLength : decoded.byteLength;
	const original =
		type === SIGNED_ORIGINAL_TYPE
			? readSignedOriginal(typeof decoded === 'string' ? decoded : decodeText(decoded, 'utf-8'))
			: undefined;
	out.attachments.push({ name: fileName(part, params), type, size, ...(original && { original }) });
}

/** The body and attachment list of a message whose top-level headers are `headers`. */
export function readBody(headers: Map<string, string>, raw: string): MimeBody {
	const out: MimeBody = { bodyType: 'text/plain', body: '', attachments: [] };
	collect({ headers, raw }, 0, out);
	return out;
}
