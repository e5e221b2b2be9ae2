/** What lib/ui/DeliveryStatus.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const deliveryStatusStrings = {
	deliveredToAt: (domain: string | number) => `Delivered to ${domain} at`,
	notDeliveredToYour: (domain: string | number, value: string | number) =>
		`Not delivered to ${domain}: ${value} Your inbox has the details.`,
	notYetDeliveredTo: (domain: string | number, problem: string | number) =>
		`Not yet delivered to ${domain}: ${problem} Your relay keeps trying.`,
	onItsWayTo: (domain: string | number) => `On its way to ${domain}.`,
	itsRelayRefusedIt: 'its relay refused it.'
};
