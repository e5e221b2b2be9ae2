/** What lib/ui/ReceiveDevice.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const receiveDeviceStrings = {
	fetchingYourKeyFrom: 'Fetching your key from the other device…',
	unlockYourKeyOn: 'Unlock your key on this browser',
	theOtherDeviceSent: 'The other device sent',
	checkThatTheFingerprint: 'Check that the fingerprint matches the one the other device shows.',
	unlock: 'Unlock',
	addThisBrowserFrom: 'Add this browser from another device',
	onTheDeviceThat:
		'On the device that has your address, open Settings, then Backup, and choose "Add another device". Scan the code it shows, or type it here.',
	deviceCode: 'Device code',
	fetchMyKey: 'Fetch my key'
};
