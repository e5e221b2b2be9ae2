/** What lib/ui/UnlockForm.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const unlockFormStrings = {
	unlockingYourKey: 'Unlocking your key…',
	unlockYourMail: 'Unlock your mail',
	thisDeviceHoldsThe: 'This device holds the key for',
	passphrase: 'Passphrase',
	unlock: 'Unlock'
};
