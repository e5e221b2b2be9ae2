// Rate and time left of a long transfer (an upload through the outbox, a download to disk),
// from how many bytes were done when: the rate over the last few seconds, so it follows a
// network that speeds up or slows down instead of averaging over the whole transfer.

/** How far back the rate looks. */
const WINDOW_MS = 10_000;

export interface TransferFigures {
	done: number;
	total: number;
	/** Bytes per second lately; null until there are two samples to compare. */
	rate: number | null;
	/** Seconds until done at that rate; null when unknown (no rate yet, or nothing moving). */
	secondsLeft: number | null;
}

export class TransferMeter {
	#samples: { at: number; done: number }[] = [];

	/** Records that `done` of `total` bytes are done at `now` (ms) and returns the figures. */
	update(done: number, total: number, now = Date.now()): TransferFigures {
		const last = this.#samples.at(-1);
		if (!last || last.done !== done) this.#samples.push({ at: now, done });
		while (this.#samples.length > 2 && now - this.#samples[0]!.at > WINDOW_MS) {
			this.#samples.shift();
		}
		const first = this.#samples[0]!;
		const elapsed = (now - first.at) / 1000;
		const rate = this.#samples.length > 1 && elapsed > 0 ? (done - first.done) / elapsed : null;
		const secondsLeft = rate && rate > 0 ? (total - done) / rate : null;
		return { done, total, rate, secondsLeft };
	}
}

/** "12.5 MB of 64.0 MB · 8.1 MB/s · about 7 s left" */
export function describeTransfer(figures: TransferFigures): string {
	const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
	const parts = [`${mb(figures.done)} of ${mb(figures.total)}`];
	if (figures.rate !== null) parts.push(`${mb(figures.rate)}/s`);
	if (figures.secondsLeft !== null && figures.done < figures.total) {
		parts.push(`about ${timeLeft(figures.secondsLeft)} left`);
	}
	return parts.join(' · ');
}

function timeLeft(seconds: number): string {
	if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
	if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
	return `${(seconds / 3600).toFixed(1)} h`;
}
