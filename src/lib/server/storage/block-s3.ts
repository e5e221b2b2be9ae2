// Block bytes in an S3-compatible object store (AWS S3, MinIO, Garage, Ceph…), one object per
// block under `blocks/<hash>`, addressed path-style (`endpoint/bucket/key`), which every such
// store accepts. An object PUT is atomic in S3, so a block is there whole or not at all; the
// bytes (at most ~8 MiB) are gathered first so that a broken upload sends nothing.
import type { BlockBytes } from './types';
import { sha256Hex, signS3Request, type S3Credentials } from './s3-signature';

export interface S3Settings extends S3Credentials {
	/** e.g. `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:9000`. */
	endpoint: string;
	bucket: string;
}

const EMPTY_SHA256 = sha256Hex('');

export function s3BlockBytes(settings: S3Settings, now: () => Date = () => new Date()): BlockBytes {
	const base = settings.endpoint.replace(/\/+$/, '');
	const urlOf = (hash: string) =>
		new URL(`${base}/${encodeURIComponent(settings.bucket)}/blocks/${hash}`);

	async function call(
		method: string,
		hash: string,
		options: { body?: Buffer<ArrayBuffer>; headers?: Record<string, string> } = {}
	): Promise<Response> {
		const url = urlOf(hash);
		const headers = signS3Request(
			{
				method,
				url,
				headers: options.headers ?? {},
				payloadHash: options.body ? sha256Hex(options.body) : EMPTY_SHA256,
				now: now()
			},
			settings
		);
		return fetch(url, { method, headers, body: options.body, cache: 'no-store' });
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
