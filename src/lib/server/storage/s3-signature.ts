// AWS Signature Version 4 for S3 requests with the signature in the Authorization header, made
// with node:crypto so the relay talks to any S3-compatible store without an SDK. Every header
// sent is signed, and the payload's SHA-256 is part of the signature, so a store (or anything
// between) that changes the bytes or the range makes the request fail instead of storing them.
import { createHash, createHmac } from 'node:crypto';

export interface S3Credentials {
	accessKeyId: string;
	secretAccessKey: string;
	region: string;
}

export interface RequestToSign {
	method: string;
	url: URL;
	/** Headers to send besides host and the x-amz-* ones this adds; all are signed. */
	headers: Record<string, string>;
	/** Hex SHA-256 of the body (of the empty string when there is none). */
	payloadHash: string;
	now: Date;
}

export const sha256Hex = (data: Uint8Array | string) =>
	createHash('sha256').update(data).digest('hex');

const hmac = (key: Uint8Array | string, data: string) =>
	createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding of one path segment, as S3 canonicalises it. */
const encodeSegment = (segment: string) =>
	encodeURIComponent(segment).replace(
		/[!'()*]/g,
		(character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`
	);

/** The headers to send: the given ones plus x-amz-date, x-amz-content-sha256, authorization. */
export function signS3Request(
	request: RequestToSign,
	credentials: S3Credentials
): Record<string, string> {
	const amzDate = request.now
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
	const day = amzDate.slice(0, 8);
	const scope = `${day}/${credentials.region}/s3/aws4_request`;
	const sent: Record<string, string> = {
		...Object.fromEntries(
			Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value.trim()])
		),
		'x-amz-content-sha256': request.payloadHash,
		'x-amz-date': amzDate
	};
	// fetch sends Host itself, from the URL; it is signed all the same.
	const signed: Record<string, string> = { ...sent, host: request.url.host };
	const names = Object.keys(signed).sort();
	const signedHeaders = names.join(';');
	const query = [...request.url.searchParams]
		.map(([name, value]) => `${encodeSegment(name)}=${encodeSegment(value)}`)
		.sort()
		.join('&');
	const canonicalRequest = [
		request.method,
		request.url.pathname
			.split('/')
			.map((part) => encodeSegment(decodeURIComponent(part)))
			.join('/'),
		query,
		...names.map((name) => `${name}:${signed[name]}`),
		'',
		signedHeaders,
		request.payloadHash
	].join('\n');
	const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
	const key = ['s3', 'aws4_request'].reduce(
		hmac,
		hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), credentials.region)
	);
	const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
	return {
		...sent,
		authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`
	};
}
