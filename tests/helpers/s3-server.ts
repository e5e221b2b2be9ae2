// A real S3-compatible server on loopback for tests: s3rver (an S3 REST API over the local file
// system) with one bucket. It speaks S3's REST protocol — PUT, GET with Range, HEAD, DELETE, S3's
// XML errors — but does not check Signature V4 signatures, so the signer is checked separately
// against AWS's published example (tests/unit/s3-signature.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Settings } from '../../src/lib/server/storage/block-s3';

export interface RunningS3 {
	settings: S3Settings;
	stop(): Promise<void>;
}

export async function startS3(): Promise<RunningS3> {
	const directory = await mkdtemp(join(tmpdir(), 'letterlock-s3-'));
	const bucket = 'letterlock-blocks';
	const server = new S3rver({
		address: '127.0.0.1',
		port: 0,
		silent: true,
		directory,
		configureBuckets: [{ name: bucket }]
	});
	const { port } = await server.run();
	return {
		// s3rver knows one key pair, S3RVER / S3RVER.
		settings: {
			endpoint: `http://127.0.0.1:${port}`,
			bucket,
			region: 'us-east-1',
			accessKeyId: 'S3RVER',
			secretAccessKey: 'S3RVER'
		},
		async stop() {
			await server.close();
			await rm(directory, { recursive: true, force: true });
		}
	};
}
