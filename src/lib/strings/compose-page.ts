/** What routes/(app)/compose/+page.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const composePageStrings = {
	sentEncryptedTo: (addresses: string | number) => `Sent, encrypted, to ${addresses}.`,
	notSent: (value: string | number) => `Not sent: ${value}`,
	encryptedTheAttachmentsAre: (addresses: string | number) =>
		`Encrypted. The attachments are uploading; the message to ${addresses} goes out once they are all on the relay.`,
	encryptedAndWaitingIn: (addresses: string | number) =>
		`Encrypted and waiting in the outbox for ${addresses}: it goes out by itself once the relay can be reached.`,
	writeLetterlock: 'Write · Letterlock',
	thisMessageCannotBe: (error: string | number) =>
		`This message cannot be opened, so it cannot be answered: ${error}`,
	openingTheMessage: 'Opening the message…',
	theRelayRefusedIt: 'the relay refused it.'
};
