/** What lib/ui/KeyChangeWarning.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const keyChangeWarningStrings = {
	movedToANew: (address: string | number) =>
		`${address} moved to a new key, certified by their old key.`,
	theKeyThisDevice:
		'The key this device kept for them signed the new one, so the change very likely comes from them. Nothing is sent until you choose: use the new key, or keep using the old one.',
	theKeyOfChanged: (address: string | number) => `The key of ${address} changed.`,
	thisDeviceKeptA:
		'This device kept a key for them, but the relay now gives a different one. They may have made a new key (a new device, a lost passphrase) — or someone may be posing as them. Nothing is sent until you choose.',
	keyKeptOnThis: 'Key kept on this device',
	keyTheRelayGives: 'Key the relay gives now',
	askForTheirFingerprint: (address: string | number) =>
		`Ask ${address} for their fingerprint by phone or in person. If it matches the new key, verify it; if you cannot check now, keep writing to the old key (only they can read that, if it was theirs).`,
	useTheNewKey: 'Use the new key',
	verifyTheNewKey: 'Verify the new key',
	keepUsingTheOld: 'Keep using the old key'
};
