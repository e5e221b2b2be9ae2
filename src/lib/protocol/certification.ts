// The one rule both sides of a key rotation check: a user ID of the new key with the account's
// address carries a valid self-signature and a valid certification by the old key. The relay
// checks it before it lets a new key replace an account's key; clients check it before they call
// a changed key "certified by the old key". The address matters: a certification by the old key
// of some other user ID (a friend's key that the owner once signed, another address of theirs)
// says nothing about who owns this address now. Not exported from the protocol index, so pages
// that never check keys never load OpenPGP.
import type * as openpgp from 'openpgp';

export async function isCertifiedBy(
	key: openpgp.PublicKey,
	certifier: openpgp.PublicKey,
	address: string
): Promise<boolean> {
	const certifierId = certifier.getKeyID();
	for (const user of key.users) {
		if (user.userID?.email.toLowerCase() !== address) continue;
		const selfSigned = await user.verify().then(
			() => true,
			() => false
		);
		if (!selfSigned) continue;
		const results = await user.verifyAllCertifications([certifier]).catch(() => []);
		if (results.some((result) => result.valid === true && result.keyID.equals(certifierId))) {
			return true;
		}
	}
	return false;
}
