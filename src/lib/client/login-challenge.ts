// What a client checks before it signs a login challenge: that it is one (the exact format of
// protocol/login-challenge.ts), for the relay the client is talking to, for the account signing
// in, and current. Anything else is refused unsigned, so a relay cannot have the key sign a
// letter, a forwarded original or a state entry by calling it a challenge.
import { LOGIN_CHALLENGE_LIFETIME_MS, parseLoginChallenge } from '../protocol/login-challenge';

/** Devices' clocks drift; more than this from the relay's, and the device is told to fix it. */
export const CLOCK_TOLERANCE_MS = 15 * 60 * 1000;

/** The first line of challenges from relays before the login notation. */
const OLD_FORMAT = 'Letterlock login\n';

/** Why `text` must not be signed to sign in as `address` at `relay`, or undefined when it may. */
export function challengeRefusal(
	text: string,
	expected: { relay: string; address: string; now: Date }
): string | undefined {
	const challenge = parseLoginChallenge(text);
	if (!challenge) {
		return text.startsWith(OLD_FORMAT)
			? 'This relay asks for an older kind of login signature, which a relay could pass off as a signed letter, so this app no longer makes it. The relay’s operator must update Letterlock; nothing was signed.'
			: 'The relay sent something that is not a login challenge (it may be a letter or other text it wants your key to sign), so nothing was signed. Do not use this relay until its operator explains.';
	}
	if (challenge.relay !== expected.relay) {
		return `The login challenge names the relay ${challenge.relay}, but this app is talking to ${expected.relay}, so nothing was signed. If the relay moved, its operator must set its ORIGIN to ${expected.relay}.`;
	}
	// The relay answers with the address as it keeps it: lowercase, like every address it routes.
	if (challenge.address !== expected.address.trim().toLowerCase()) {
		return `The login challenge is for ${challenge.address}, not for ${expected.address}, so nothing was signed.`;
	}
	const issued = Date.parse(challenge.issuedAt);
	const expires = Date.parse(challenge.expiresAt);
	if (!(expires > issued && expires - issued <= LOGIN_CHALLENGE_LIFETIME_MS)) {
		return 'The login challenge claims to last longer than five minutes, so nothing was signed. Try again; if it happens again, the relay is not behaving as it should.';
	}
	const now = expected.now.getTime();
	if (expires < now - CLOCK_TOLERANCE_MS || issued > now + CLOCK_TOLERANCE_MS) {
		return 'The login challenge has expired by this device’s clock, so nothing was signed. Check that the date and time on this device are right, then sign in again.';
	}
	return undefined;
}
