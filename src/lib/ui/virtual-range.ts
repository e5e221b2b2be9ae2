// The arithmetic of a virtualised list: which of many rows of varying height are near the
// visible part of a scrolling box, so only those are in the DOM. Our own ~40 lines rather than
// a library: the list needs measured heights per conversation and nothing else, and the page's
// first-load budget is counted in kilobytes.

/** Where each row starts, from its measured (or estimated) height; one more at the end. */
export function offsetsOf(count: number, heightOf: (index: number) => number): Float64Array {
	const offsets = new Float64Array(count + 1);
	for (let at = 0; at < count; at++) offsets[at + 1] = offsets[at]! + heightOf(at);
	return offsets;
}

/** The rows [start, end) that overlap from `top - margin` to `top + height + margin`. */
export function visibleRange(
	offsets: Float64Array,
	top: number,
	height: number,
	margin: number
): { start: number; end: number } {
	const count = offsets.length - 1;
	const start = Math.max(0, rowAt(offsets, top - margin));
	const end = Math.min(count, rowAt(offsets, top + height + margin) + 1);
	return { start, end: Math.max(start, end) };
}

/** The row that covers `position` (binary search over the offsets). */
function rowAt(offsets: Float64Array, position: number): number {
	let low = 0;
	let high = offsets.length - 1;
	while (low < high) {
		const middle = (low + high + 1) >>> 1;
		if (offsets[middle]! <= position) low = middle;
		else high = middle - 1;
	}
	return Math.min(low, offsets.length - 2);
}
