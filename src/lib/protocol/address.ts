// Mail addresses as Letterlock routes them: local@domain, compared case-insensitively.
import * as v from 'valibot';

/** Local parts are kept simple on purpose: they appear in WKD URLs, file names and terminals. */
const ADDRESS_PATTERN =
	/^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?@[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;

export const AddressSchema = v.pipe(
	v.string('An address must be text, like alice@example.org.'),
	v.trim(),
	v.toLowerCase(),
	v.maxLength(254, 'That address is too long (254 characters at most).'),
	v.regex(
		ADDRESS_PATTERN,
		'That is not a valid address: use letters, digits, dots, dashes or underscores, like alice@example.org.'
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
