/** What lib/ui/ForwardedOriginal.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const forwardedOriginalStrings = {
	theSignatureCouldNot: (reason: string | number) =>
		`The signature could not be checked: ${reason}`,
	anUnnamedSender: 'an unnamed sender',
	signedByVerified: (who: string | number, key: string | number) =>
		`Signed by ${who} (${key}) — verified.`,
	notVerifiedTheSignature: (who: string | number) =>
		`Not verified: the signature does not match, so the forwarded text was changed after ${who} signed it.`,
	notVerifiedItWas: (value: string | number, who: string | number) =>
		`Not verified: it was signed with a key (${value}) that is not ${who}’s, so it may not be from them.`,
	notVerifiedTheOriginal: 'Not verified: the original carries no signature.',
	forwardedOriginal: 'Forwarded original',
	forwardedOriginalWithIts: 'Forwarded original, with its sender’s signature',
	checkTheOriginalSender: 'Check the original sender’s signature',
	written: (shown: string | number, date: string | number) => `“${shown}”, written ${date}`,
	noSubject: '(no subject)'
};
