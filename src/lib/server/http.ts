// Request parsing and response building shared by every endpoint: bounded body reading, JSON
// (bounded in size and nesting before it is parsed) and schema validation with one plain
// sentence per failure, and the JSON error shape.
import * as v from 'valibot';
import type { ErrorBody } from '$lib/protocol';
import { RelayError, badRequest } from './errors';

export function json(
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
): Response {
	const text = JSON.stringify(body);
	// The length lets the Node server send the whole answer in one write (node-http.ts).
	return new Response(text, {
		status,
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-length': String(Buffer.byteLength(text)),
			...headers
		}
	});
}

export function errorResponse(error: RelayError): Response {
	const { kind, message, addresses } = error;
	const body: ErrorBody = {
		error: addresses.length > 0 ? { kind, message, addresses } : { kind, message }
	};
	return json(error.status, body, error.headers);
}

const tooLarge = (limit: number) =>
	new RelayError(
		413,
		'payload-too-large',
		`The request body is too large (at most ${limit} bytes).`
	);

/** Reads the body, stopping as soon as it passes `limit` bytes so an oversized request costs the
 * relay no more than the limit. */
async function readBounded(request: Request, limit: number): Promise<Uint8Array> {
	const declared = Number(request.headers.get('content-length'));
	if (declared > limit) throw tooLarge(limit);
	if (!request.body) return new Uint8Array();
	const chunks: Uint8Array[] = [];
	let total = 0;
	const reader = request.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > limit) {
			await reader.cancel().catch(() => {});
			throw tooLarge(limit);
		}
		chunks.push(value);
	}
	const body = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return body;
}

/** No request body nests deeper than a few levels; allowing this many costs nothing. */
export const MAX_JSON_DEPTH = 16;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Refuses a body nested deeper than MAX_JSON_DEPTH in one pass over its bytes, before
 * JSON.parse builds anything: a few megabytes of `[[[[…` would otherwise make the parser
 * allocate millions of arrays and hold up every other request meanwhile. Brackets inside strings
 * do not count; the rest of the syntax is left to JSON.parse. */
function checkNesting(bytes: Uint8Array): void {
	let depth = 0;
	let inString = false;
	for (let index = 0; index < bytes.length; index++) {
		const byte = bytes[index];
		if (inString) {
			if (byte === BACKSLASH) index++;
			else if (byte === QUOTE) inString = false;
		} else if (byte === QUOTE) {
			inString = true;
		} else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
			if (++depth > MAX_JSON_DEPTH) {
				throw badRequest(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
			}
		} else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
			depth--;
		}
	}
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
	const path = issue.path?.map((item) => String(item.key)).join('.');
	if (issue.kind === 'schema' && issue.expected === 'never' && path) {
		return `Unknown field "${path}": remove it.`;
	}
	if (issue.input === undefined && issue.kind === 'schema' && path) {
		return `The field "${path}" is missing.`;
	}
	return path ? `${path}: ${issue.message}` : issue.message;
}

/** Parses and validates a JSON request body of at most `limit` bytes against `schema`; 415, 413
 * or 400 otherwise. */
export async function readJson<S extends v.GenericSchema>(
	request: Request,
	schema: S,
	limit: number
): Promise<v.InferOutput<S>> {
	return (await readJsonWithBytes(request, schema, limit)).value;
}

/** `readJson`, also returning the exact bytes, for bodies whose signature covers them. */
export async function readJsonWithBytes<S extends v.GenericSchema>(
	request: Request,
	schema: S,
	limit: number
): Promise<{ value: v.InferOutput<S>; bytes: Uint8Array }> {
	const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
	if (mediaType !== 'application/json') {
		throw new RelayError(
			415,
			'unsupported-media-type',
			'Send the request body as JSON with "Content-Type: application/json".'
		);
	}
	const bytes = await readBounded(request, limit);
	checkNesting(bytes);
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		throw badRequest('The request body is not valid JSON.');
	}
	// Every request body is an object; saying so beats valibot's view of an array as an object.
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw badRequest('The request body must be a JSON object.');
	}
	const result = v.safeParse(schema, value);
	if (!result.success) throw badRequest(describeIssue(result.issues[0]));
	return { value: result.output, bytes };
}
