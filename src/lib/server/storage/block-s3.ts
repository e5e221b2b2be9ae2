// Block bytes in an S3-compatible object store (AWS S3, MinIO, Garage, Ceph…), one object per
// block under `blocks/<hash>`, addressed path-style (`endpoint/bucket/key`), which every such
// store accepts. An object PUT is atomic in S3, so a block is there whole or not at all; the
// bytes (at most ~8 MiB) are gathered first so that a broken upload sends nothing.
import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import type { BlockBytes } from './types';

export interface S3Credentials {
	accessKeyId: string;
	secretAccessKey: string;
	/** Temporary credentials (STS, an instance role) come with one; it is sent and signed. */
	sessionToken?: string;
	region: string;
}

export interface S3Settings extends S3Credentials {
	/** e.g. `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:9000`. */
	endpoint: string;
	bucket: string;
}

export interface S3Request {
	method: string;
	url: URL;
	headers?: Record<string, string>;
	body?: Buffer<ArrayBuffer>;
}

/** Signs with Signature V4 (aws4fetch) in the Authorization header. Every header sent is signed
 * (`allHeaders`: aws4fetch leaves Range out otherwise), and so is the payload's SHA-256 instead
 * of aws4fetch's UNSIGNED-PAYLOAD, so a store (or anything between) that changes the bytes or the
 * range makes the request fail instead of storing them. */
export function signS3Request(
	client: AwsClient,
	request: S3Request,
	now: Date = new Date()
): Promise<Request> {
	const payloadHash = createHash('sha256')
		.update(request.body ?? '')
		.digest('hex');
	return client.sign(request.url, {
		method: request.method,
		headers: { ...request.headers, 'x-amz-content-sha256': payloadHash },
		body: request.body,
		cache: 'no-store',
		aws: { allHeaders: true, datetime: now.toISOString().replace(/[:-]|\.\d{3}/g, '') }
	});
}

/** A signer for S3 with these credentials; `retries: 0` because the callers decide what a
 * failure means (a sweep tries again later, a reader gets an error now). */
export const s3Client = (credentials: S3Credentials) =>
	new AwsClient({ ...credentials, service: 's3', retries: 0 });

export function s3BlockBytes(settings: S3Settings, now: () => Date = () => new Date()): BlockBytes {
	const base = settings.endpoint.replace(/\/+$/, '');
	const client = s3Client(settings);
	const urlOf = (hash: string) =>
		new URL(`${base}/${encodeURIComponent(settings.bucket)}/blocks/${hash}`);

	async function call(
		method: string,
		hash: string,
		options: { body?: Buffer<ArrayBuffer>; headers?: Record<string, string> } = {}
	): Promise<Response> {
		return fetch(await signS3Request(client, { method, url: urlOf(hash), ...options }, now()));
	}

	/** An answer the store should not give: said in the log with S3's own error text. */
	async function failure(response: Response, what: string): Promise<Error> {
		const text = (await response.text()).slice(0, 500);
		return new Error(`The S3 store answered ${response.status} to ${what}: ${text}`);
	}

	return {
		async write(hash, chunks) {
			const parts: Uint8Array[] = [];
			for await (const chunk of chunks) parts.push(chunk);
			const body: Buffer<ArrayBuffer> = Buffer.concat(parts);
			const response = await call('PUT', hash, {
				body,
				headers: { 'content-type': 'application/octet-stream' }
			});
			if (!response.ok) throw await failure(response, `storing block ${hash}`);
			await response.body?.cancel();
		},

		async read(hash, start, end) {
			const response = await call('GET', hash, { headers: { range: `bytes=${start}-${end}` } });
			if (response.status === 404) {
				await response.body?.cancel();
				return undefined;
			}
			// Only 206 carries exactly the range asked for; a store that ignored Range would answer 200
			// with the whole object, which must not be served as the part.
			if (response.status !== 206) {
				throw await failure(response, `reading block ${hash}`);
			}
			return response.body ?? undefined;
		},

		async delete(hash) {
			const response = await call('DELETE', hash);
			// Deleting what is not there is not a failure: a sweep may run twice.
			if (!response.ok && response.status !== 404) {
				throw await failure(response, `deleting block ${hash}`);
			}
			await response.body?.cancel();
		}
	};
}
