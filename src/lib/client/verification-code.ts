// What a verification QR code carries: an address and the fingerprint of its key, in the
// `OPENPGP4FPR:` form other OpenPGP apps scan (OpenKeychain), with the address after `#a=`.
// Scanning one proves only what the person in front of you showed you, so it is compared with
// the key this device pinned for exactly that address; it never fetches or trusts anything else.
import { isValidAddress, normaliseAddress } from '$lib/protocol';
import { normaliseFingerprint, TrustError } from './trust';

export interface VerificationCode {
	address: string;
	fingerprint: string;
}

const PREFIX = 'OPENPGP4FPR:';

export function encodeVerificationCode(code: VerificationCode): string {
	return `${PREFIX}${code.fingerprint}#a=${encodeURIComponent(code.address)}`;
}

/** The address and fingerprint in a scanned code; a TrustError otherwise. */
export function decodeVerificationCode(text: string): VerificationCode {
	const unreadable = new TrustError({ kind: 'not-a-key-code', params: {} });
	if (!text.toUpperCase().startsWith(PREFIX)) throw unreadable;
	const [fingerprintText = '', fragment = ''] = text.slice(PREFIX.length).split('#', 2);
	const fingerprint = normaliseFingerprint(fingerprintText);
	const addressText = new URLSearchParams(fragment).get('a') ?? '';
	if (!fingerprint || !isValidAddress(addressText)) throw unreadable;
	return { address: normaliseAddress(addressText), fingerprint };
}
