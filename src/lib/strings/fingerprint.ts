/** What lib/ui/Fingerprint.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const fingerprintStrings = {
	couldNotCopyShow: 'Could not copy: show the fingerprint in full and copy it by hand',
	keyFingerprintOf: (address: string | number, grouped: string | number) =>
		`Key fingerprint of ${address}: ${grouped}`,
	copyTheFingerprintOf: (address: string | number) => `Copy the fingerprint of ${address}`,
	copy: 'Copy',
	severalKeys: 'several keys',
	noKeyFound: 'no key found',
	notLookedUp: 'key not looked up',
	checkThisKey: 'Check this key'
};
