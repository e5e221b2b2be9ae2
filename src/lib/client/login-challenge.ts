// What a client checks before it signs a login challenge: that it is one (the exact format of
// protocol/login-challenge.ts), for the relay the client is talking to, for the account signing
// in, and current. Anything else is refused unsigned, so a relay cannot have the key sign a
// letter, a forwarded original or a state entry by calling it a challenge.
import type { ChallengeRefusal } from '../errors';
import { LOGIN_CHALLENGE_LIFETIME_MS, parseLoginChallenge } from '../protocol/login-challenge';

/** Devices' clocks drift; more than this from the relay's, and the device is told to fix it. */
export const CLOCK_TOLERANCE_MS = 15 * 60 * 1000;

/** The first line of challenges from relays before the login notation. */
const OLD_FORMAT = 'Letterlock login\n';

/** Why `text` must not be signed to sign in as `address` at `relay`, or undefined when it may. */
export function challengeRefusal(
	text: string,
	expected: { relay: string; address: string; now: Date }
): ChallengeRefusal | undefined {
	const challenge = parseLoginChallenge(text);
	if (!challenge) {
		return { reason: text.startsWith(OLD_FORMAT) ? 'old-format' : 'not-a-challenge' };
	}
	if (challenge.relay !== expected.relay) {
		return { reason: 'other-relay', named: challenge.relay, expected: expected.relay };
	}
	// The relay answers with the address as it keeps it: lowercase, like every address it routes.
	if (challenge.address !== expected.address.trim().toLowerCase()) {
		return { reason: 'other-address', named: challenge.address, expected: expected.address };
	}
	const issued = Date.parse(challenge.issuedAt);
	const expires = Date.parse(challenge.expiresAt);
	if (!(expires > issued && expires - issued <= LOGIN_CHALLENGE_LIFETIME_MS)) {
		return { reason: 'too-long' };
	}
	const now = expected.now.getTime();
	if (expires < now - CLOCK_TOLERANCE_MS || issued > now + CLOCK_TOLERANCE_MS) {
		return { reason: 'expired' };
	}
	return undefined;
}
