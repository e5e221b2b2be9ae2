/** What lib/ui/SignatureStatus.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const signatureStatusStrings = {
	anUnknownKey: 'an unknown key',
	signedBy: (signer: string | number) => `Signed by ${signer}`,
	signatureDoesNotMatch: 'Signature does not match',
	theSignatureDoesNot: 'The signature does not match — this message may have been altered',
	unknownSigner: 'Unknown signer',
	signedWithAKey: (signer: string | number) =>
		`Signed with a key this relay does not list for the sender (${signer}), so who wrote it cannot be confirmed`,
	notSignedAnyoneCould: 'Not signed — anyone could have written this message',
	signedByAKeyYou:
		'Signed by a key you do not know yet — look it up to check who wrote it (their relay may then learn that you read it)'
};
