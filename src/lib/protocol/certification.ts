// The one rule both sides of a key rotation check: the new key's primary user ID carries a valid
// certification by the old key. The relay checks it before it lets a new key replace an account's
// key; clients check it before they call a changed key "certified by the old key". Not exported
// from the protocol index, so pages that never check keys never load OpenPGP.
import type * as openpgp from 'openpgp';

export async function isCertifiedBy(
	key: openpgp.PublicKey,
	certifier: openpgp.PublicKey
): Promise<boolean> {
	const results = await key.verifyPrimaryUser([certifier]).catch(() => []);
	const certifierId = certifier.getKeyID();
	return results.some((result) => result.valid === true && result.keyID.equals(certifierId));
}
