// Role addresses: the mailboxes every mail domain is expected to have for its operator. Abuse
// reports, certificate checks and security reports go to them and the relay's bounces come from
// postmaster@, so a stranger holding one could read what is meant for the operator or speak as the
// relay. Registration refuses them unless the operator named the key that may claim one.
import * as v from 'valibot';
import { AddressSchema, splitAddress } from '$lib/protocol';
import { RelayError } from './errors';

/** RFC 2142's mailbox names, and the ones certificate authorities and mail systems assume. */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
	// RFC 2142, sections 3 to 5.
	'info',
	'marketing',
	'sales',
	'support',
	'abuse',
	'noc',
	'security',
	'postmaster',
	'hostmaster',
	'usenet',
	'news',
	'webmaster',
	'www',
	'uucp',
	'ftp',
	// Where CAs send domain-validation mail (CA/Browser Forum), and the system senders.
	'admin',
	'administrator',
	'root',
	'mailer-daemon',
	'noreply',
	'no-reply'
]);

export function isRoleAddress(address: string): boolean {
	return ROLE_LOCAL_PARTS.has(splitAddress(address).local);
}

/** The operator's claims: role address → the fingerprint of the one key that may register it. */
export type OperatorAddresses = ReadonlyMap<string, string>;

const FINGERPRINT = /^(?:[0-9A-F]{40}|[0-9A-F]{64})$/;

/** LETTERLOCK_ROLE_KEYS: `postmaster@example.org=FINGERPRINT,abuse@example.org=…`. A
 * fingerprint rather than the address alone, so nobody can win a race to register it first. */
export function parseOperatorAddresses(text: string | undefined): OperatorAddresses {
	const claims = new Map<string, string>();
	for (const item of (text ?? '').split(/[\s,]+/).filter((part) => part !== '')) {
		const [addressText = '', fingerprintText = '', ...rest] = item.split('=');
		const address = v.safeParse(AddressSchema, addressText);
		const fingerprint = fingerprintText.replaceAll(':', '').toUpperCase();
		if (!address.success || !FINGERPRINT.test(fingerprint) || rest.length > 0) {
			throw new Error(
				`LETTERLOCK_ROLE_KEYS: "${item}" is not like "postmaster@example.org=FINGERPRINT" (the key's 40 or 64 hex digits).`
			);
		}
		claims.set(address.output, fingerprint);
	}
	return claims;
}

/** Refuses (403) registering a role address with any key but the one the operator named. */
export function checkRoleClaim(
	address: string,
	fingerprint: string,
	operator: OperatorAddresses
): void {
	if (!isRoleAddress(address) || operator.get(address) === fingerprint) return;
	throw new RelayError(
		403,
		'reserved-address',
		`${address} is reserved for the people who run this relay, like every postmaster@ or abuse@ address; pick another.`
	);
}
