/** What routes/(app)/contacts/[address]/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const contactPageStrings = {
	verifiedMailToNow: (address: string | number) =>
		`Verified: mail to ${address} now goes only to the key you compared.`,
	mailToNowGoes: (address: string | number) =>
		`Mail to ${address} now goes to their new key, which their old key certified.`,
	letterlock: (address: string | number) => `${address} · Letterlock`,
	checkTheKeyOf: (address: string | number) => `Check the key of ${address}`,
	useTheirNewKey: 'Use their new key',
	keysClaim: (count: string | number, address: string | number) =>
		`${count} keys claim ${address}.`,
	letterlockUsesNoneOf: (address: string | number) =>
		`Letterlock uses none of them until you compare fingerprints with ${address} and type the right one below.`,
	safetyNumber: 'Safety number',
	readItToEach:
		'Read it to each other by phone or in person: if both of you see the same digits, both keys are right.',
	scanEachOtherS: "Scan each other's codes",
	whenYouMeetEach:
		"When you meet, each of you scans the other's code: that marks them verified on your device, and you on theirs. The code holds only an address and a fingerprint, nothing secret.",
	yourCodeFor: (address: string | number) => `Your code, for ${address}`,
	compareFingerprints: 'Compare fingerprints',
	theirFingerprintAsThey: 'Their fingerprint, as they read or sent it to you',
	markVerified: 'Mark verified'
};
