// Validation of values that arrive in the URL rather than the body.
import * as v from 'valibot';
import { AddressSchema } from '$lib/protocol';
import { badRequest } from './errors';

export function addressParam(text: string | undefined): string {
	const result = v.safeParse(AddressSchema, text ?? '');
	if (!result.success) throw badRequest(result.issues[0].message);
	return result.output;
}
