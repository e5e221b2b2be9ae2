// A short number two people can read to each other to check both keys at once. Each side
// computes it from the same two fingerprints, sorted, so both see the same digits.

const GROUPS = 6;

/** Six groups of five digits from SHA-256 over the two sorted fingerprints. */
export async function safetyNumber(first: string, second: string): Promise<string> {
	const [a, b] = [first.toUpperCase(), second.toUpperCase()].sort();
	const digest = new Uint8Array(
		await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${a}:${b}`))
	);
	const view = new DataView(digest.buffer);
	const groups: string[] = [];
	for (let index = 0; index < GROUPS; index += 1) {
		groups.push(String(view.getUint32(index * 4) % 100_000).padStart(5, '0'));
	}
	return groups.join(' ');
}
