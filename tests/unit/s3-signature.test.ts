// The relay's S3 signing (aws4fetch, as block-s3.ts calls it) against the worked example in AWS's
// Signature Version 4 documentation for S3 (GET /test.txt with a Range header, in examplebucket,
// on 24 May 2013). The S3 server the block tests run against does not check signatures, so this
// is what proves real S3 accepts them.
import { describe, expect, it } from 'vitest';
import { s3Client, signS3Request } from '../../src/lib/server/storage/block-s3';

const example = {
	accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
	secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
	region: 'us-east-1'
};
const exampleRequest = {
	method: 'GET',
	url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
	headers: { Range: 'bytes=0-9' }
};
const day = new Date('2013-05-24T00:00:00Z');

describe('S3 Signature Version 4', () => {
	it('signs AWS’s documented GET-with-Range example to the documented signature', async () => {
		const signed = await signS3Request(s3Client(example), exampleRequest, day);
		expect(signed.headers.get('authorization')).toBe(
			'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
				'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
				'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'
		);
		expect(signed.headers.get('x-amz-date')).toBe('20130524T000000Z');
		expect(signed.headers.get('x-amz-content-sha256')).toBe(
			'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
		);
		expect(signed.headers.get('range')).toBe('bytes=0-9');
	});

	it('sends and signs the session token of temporary credentials', async () => {
		const signed = await signS3Request(
			s3Client({ ...example, sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN' }),
			exampleRequest,
			day
		);
		expect(signed.headers.get('x-amz-security-token')).toBe('FQoGZXIvYXdzEXAMPLETOKEN');
		expect(signed.headers.get('authorization')).toContain(
			'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token,'
		);
	});

	it('signs the hash of the bytes it stores, not UNSIGNED-PAYLOAD', async () => {
		const body = Buffer.from('ciphertext');
		const signed = await signS3Request(
			s3Client(example),
			{ method: 'PUT', url: new URL('https://examplebucket.s3.amazonaws.com/blocks/x'), body },
			day
		);
		// sha256sum of "ciphertext"
		expect(signed.headers.get('x-amz-content-sha256')).toBe(
			'305531dcc50ebca31cf1d5b31e9fc76ed51f66b3b6dd5a030c6539ae6532f979'
		);
	});
});
