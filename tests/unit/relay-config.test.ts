// The S3 block store's settings: all or nothing, so a relay never starts half-configured and
// silently keeps blocks somewhere the operator did not mean. The account quota's size.
import { describe, expect, it } from 'vitest';
import { readConfig, readS3Settings } from '../../src/lib/server/config';

const complete = {
	LETTERLOCK_BLOCK_STORE: 's3',
	LETTERLOCK_S3_ENDPOINT: 'https://s3.example.org/',
	LETTERLOCK_S3_BUCKET: 'blocks',
	LETTERLOCK_S3_REGION: 'eu-central-1',
	LETTERLOCK_S3_ACCESS_KEY_ID: 'AKID',
	LETTERLOCK_S3_SECRET_ACCESS_KEY: 'secret'
};

describe('LETTERLOCK_BLOCK_STORE', () => {
	it('keeps blocks beside the database unless s3 is asked for', () => {
		expect(readS3Settings({})).toBeUndefined();
		expect(readS3Settings({ LETTERLOCK_BLOCK_STORE: 'default' })).toBeUndefined();
	});

	it('reads every S3 setting', () => {
		expect(readS3Settings(complete)).toEqual({
			endpoint: 'https://s3.example.org',
			bucket: 'blocks',
			region: 'eu-central-1',
			accessKeyId: 'AKID',
			secretAccessKey: 'secret'
		});
		expect(
			readS3Settings({ ...complete, LETTERLOCK_S3_SESSION_TOKEN: 'token' })?.sessionToken
		).toBe('token');
	});

	it('names what is missing, and refuses stores it does not know', () => {
		expect(() => readS3Settings({ ...complete, LETTERLOCK_S3_BUCKET: '' })).toThrow(
			'LETTERLOCK_BLOCK_STORE=s3 needs LETTERLOCK_S3_BUCKET to be set as well.'
		);
		expect(() => readS3Settings({ LETTERLOCK_BLOCK_STORE: 'ftp' })).toThrow(
			'"ftp" is not a block store'
		);
	});
});

describe('LETTERLOCK_ROLE_KEYS', () => {
	const fingerprint = 'AB'.repeat(20);

	it('reads role addresses with the fingerprint of the key that may claim each', () => {
		expect(readConfig({}).operatorAddresses.size).toBe(0);
		const { operatorAddresses } = readConfig({
			LETTERLOCK_ROLE_KEYS: `Postmaster@example.org=${fingerprint.toLowerCase()}, abuse@example.org=${'CD'.repeat(32)}`
		});
		expect([...operatorAddresses]).toEqual([
			['postmaster@example.org', fingerprint],
			['abuse@example.org', 'CD'.repeat(32)]
		]);
	});

	it('refuses an entry without a whole fingerprint', () => {
		expect(() => readConfig({ LETTERLOCK_ROLE_KEYS: 'postmaster@example.org' })).toThrow(
			'"postmaster@example.org" is not like "postmaster@example.org=FINGERPRINT"'
		);
		expect(() =>
			readConfig({ LETTERLOCK_ROLE_KEYS: `postmaster@example.org=${fingerprint.slice(1)}` })
		).toThrow('40 or 64 hex digits');
	});
});

describe('LETTERLOCK_ACCOUNT_QUOTA', () => {
	it('reads a size, and names itself when the size is not one', () => {
		expect(readConfig({ LETTERLOCK_ACCOUNT_QUOTA: '40M' }).accountQuotaBytes).toBe(40 * 1024 ** 2);
		expect(readConfig({}).accountQuotaBytes).toBeUndefined();
		expect(() => readConfig({ LETTERLOCK_ACCOUNT_QUOTA: 'lots' })).toThrow(
			'LETTERLOCK_ACCOUNT_QUOTA: "lots" is not a size like "20G" or "500M".'
		);
	});
});
