/** What lib/ui/AddDevice.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const addDeviceStrings = {
	encryptingYourKeyFor: 'Encrypting your key for the other device…',
	scanTheCodeWith:
		'Scan the code with the other device\'s camera, or open Letterlock there, choose "Add this browser from another device" and type the code. It works once, within ten minutes. The other device then asks for your passphrase.',
	codeToType: 'Code to type:',
	orOpenThisLink: 'Or open this link on the other device:',
	validUntil: (date: string | number) => `Valid until ${date}.`,
	cancel: 'Cancel',
	addAnotherDevice: 'Add another device',
	waitingForTheOther: 'Waiting for the other device…',
	deviceAddedTheOther:
		'Device added: the other device has your key and contacts now. Unlock it there with your passphrase.',
	thatCodeExpiredOr: 'That code expired or was cancelled. Make a new one to add a device.'
};
