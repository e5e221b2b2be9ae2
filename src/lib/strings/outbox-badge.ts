/** What lib/ui/OutboxBadge.svelte says. A translation replaces the values, never
 * the keys; functions put values into sentences and choose plural forms. */
export const outboxBadgeStrings = {
	notSent: (failed: string | number) => `${failed} not sent`,
	outbox: 'Outbox'
};
