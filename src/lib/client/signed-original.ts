// "Forward with signature": a forward can carry the original message exactly as its sender
// signed it, plus that signature on its own, as one JSON part inside the (new, encrypted) mail.
// Whoever receives the forward can check the original sender's signature with that sender's
// public key, without trusting the person who forwarded it (docs/PROTOCOL.md).
import * as v from 'valibot';
import { LIMITS } from '../protocol/api';
import type { SignedText } from '../crypto/types';

export const SIGNED_ORIGINAL_TYPE = 'application/vnd.letterlock.signed-original+json';

const SignedOriginal = v.object({
	v: v.literal(1),
	text: v.pipe(v.string(), v.maxLength(LIMITS.messageChars)),
	signature: v.pipe(
		v.string(),
		v.maxLength(16 * 1024),
		v.startsWith('-----BEGIN PGP SIGNATURE-----')
	)
});

export function signedOriginalPart(original: SignedText): string {
	return JSON.stringify({ v: 1, text: original.text, signature: original.signature });
}

/** The signed original in a part, or undefined when the part is not one. */
export function readSignedOriginal(text: string): SignedText | undefined {
	try {
		const parsed = v.safeParse(SignedOriginal, JSON.parse(text));
		return parsed.success
			? { text: parsed.output.text, signature: parsed.output.signature }
			: undefined;
	} catch {
		return undefined;
	}
}
