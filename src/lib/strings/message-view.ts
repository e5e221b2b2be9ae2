/** What lib/ui/MessageView.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const messageViewStrings = {
	unlockYourKeyTo: 'Unlock your key to save attachments.',
	theMessageCouldNot: (value: string | number) => `The message could not be exported: ${value}`,
	theSubject: 'The subject',
	theSenderSName: 'The sender’s name',
	theSenderAddressInside: 'The sender address inside the letter',
	theRecipientAddress: (shown: string | number) => `The recipient address “${shown}”`,
	theFileName: (shown: string | number) => `The file name “${shown}”`,
	noSubject: '(no subject)',
	from: 'From',
	signedWithADifferent: (address: string | number) =>
		`Signed with a different key than the one this device kept for ${address}. They may have made a new key, or someone may be posing as them: compare fingerprints with them before you trust this letter.`,
	to: 'To',
	date: 'Date',
	signature: 'Signature',
	delivery: 'Delivery',
	importedFromAFile:
		'Imported from a file. No relay delivered it, so only the signature above can tell who wrote it.',
	theRelayDeliveredThis: (from: string | number, shown: string | number) =>
		`The relay delivered this from ${from}, but the letter itself says it is from ${shown}. Treat it with suspicion.`,
	exportAsEml: 'Export as .eml',
	thisMessageCannotBe: 'This message cannot be opened',
	decrypting: 'Decrypting…',
	lookUpKey: 'Look up key',
	lookUpTheKeyOf: (address: string | number) => `Look up the key of ${address}`,
	lookUpTheSenderSKey: 'Look up the sender’s key',
	lookingUp: 'Looking up…',
	theKeyCouldNot: (reason: string | number) => `The key could not be looked up: ${reason}`
};
