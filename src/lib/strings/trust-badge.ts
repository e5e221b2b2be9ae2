/** What lib/ui/TrustBadge.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const trustBadgeStrings = {
	thisKeyWasThe:
		'This key was the first one seen for this address, and this device has kept it since ("trust on first use"). If the key ever changes, you will be told. To be sure it really belongs to this person, compare the fingerprint or safety number with them in person or by phone, then mark it verified on their contact page.',
	youComparedThisFingerprint:
		'You compared this fingerprint with its owner, so mail to this address can only be read by them.',
	keyChanged: 'Key changed',
	thisAddressNowShows:
		'This address now shows a different key than the one this device kept. They may have made a new key, or someone may be posing as them. Do not trust the new key until you have compared its fingerprint with its owner by phone or in person.',
	keyChangedCertifiedBy: 'Key changed, certified by the old key',
	thisAddressNowShows2:
		'This address now shows a new key, and the key this device kept for them signed it: they most likely moved to a new key themselves. Letterlock still asks before writing to it, because whoever holds the old key could have signed it. Accept it on their contact page, or compare fingerprints with them to be sure.',
	keyConflict: 'Key conflict',
	moreThanOneKey:
		'More than one key claims this address, so Letterlock uses none of them. Ask the owner for their fingerprint by phone or in person and mark the matching key verified on their contact page.',
	revokedOrExpired: 'Revoked or expired',
	theKeyForThis:
		'The key for this address was withdrawn by its owner or has expired, so nothing can be encrypted to it. Ask them for their new key.',
	whatDoesThisMean: 'What does this mean?'
};
