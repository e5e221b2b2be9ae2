// Mail addresses as Letterlock routes them: local@domain, compared case-insensitively.
import * as v from 'valibot';

/** DNS labels: letters, digits and inner hyphens, 63 characters at most. The last label starts
 * with a letter, as every top-level domain does, so that no IP address (127.0.0.1, 0x7f.1, which
 * URL parsers read as 127.0.0.1) passes for a domain; empty labels (x..y) and a trailing dot are
 * refused. Each label ends at a dot no label contains, so matching takes linear time. */
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = `(?:${LABEL}\\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?`;

/** Local parts are kept simple on purpose: they appear in WKD URLs, file names and terminals. */
const ADDRESS_PATTERN = new RegExp(`^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?@${DOMAIN}$`);

/** A mail domain as relays name each other: lowercase labels, like the part after `@`. */
export const DomainSchema = v.pipe(
	v.string('A domain must be text, like example.org.'),
	v.toLowerCase(),
	v.maxLength(253, 'That domain is too long (253 characters at most).'),
	v.regex(new RegExp(`^${DOMAIN}$`), 'That is not a valid domain name.')
);

export const AddressSchema = v.pipe(
	v.string('An address must be text, like alice@example.org.'),
	v.trim(),
	v.toLowerCase(),
	v.maxLength(254, 'That address is too long (254 characters at most).'),
	v.regex(
		ADDRESS_PATTERN,
		'That is not a valid address: use letters, digits, dots, dashes or underscores, like alice@example.org.'
	),
	v.check(
		(address) => address.length - address.lastIndexOf('@') - 1 <= 253,
		'That address has too long a domain (253 characters at most).'
	)
);

export type Address = v.InferOutput<typeof AddressSchema>;

export function isValidAddress(text: string): boolean {
	return v.safeParse(AddressSchema, text).success;
}

export function normaliseAddress(text: string): Address {
	return v.parse(AddressSchema, text);
}

export function splitAddress(address: Address): { local: string; domain: string } {
	const at = address.lastIndexOf('@');
	return { local: address.slice(0, at), domain: address.slice(at + 1) };
}
