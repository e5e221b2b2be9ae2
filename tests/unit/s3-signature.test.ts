// The relay's S3 signer against the worked example in AWS's Signature Version 4 documentation for
// S3 (GET /test.txt with a Range header, in examplebucket, on 24 May 2013). The S3 server the
// block tests run against does not check signatures, so this is what proves real S3 accepts them.
import { describe, expect, it } from 'vitest';
import { sha256Hex, signS3Request } from '../../src/lib/server/storage/s3-signature';

describe('S3 Signature Version 4', () => {
	it('signs AWS’s documented GET-with-Range example to the documented signature', () => {
		const headers = signS3Request(
			{
				method: 'GET',
				url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
				headers: { Range: 'bytes=0-9' },
				payloadHash: sha256Hex(''),
				now: new Date('2013-05-24T00:00:00Z')
			},
			{
				accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
				secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
				region: 'us-east-1'
			}
		);
		expect(headers.authorization).toBe(
			'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
				'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
				'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'
		);
		expect(headers['x-amz-date']).toBe('20130524T000000Z');
		expect(headers.range).toBe('bytes=0-9');
	});
});
