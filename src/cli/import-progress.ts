// What an import shows while it runs, on stderr: letters so far, letters per second and the time
// left, estimated from the bytes of the file read so far. On a terminal one line rewrites itself
// a few times a second; in a log (no terminal) a line is added every LOG_EVERY_MS.
import { clearStatus, printNote, printStatus, statusRewrites } from './output';

const TERMINAL_EVERY_MS = 250;
const LOG_EVERY_MS = 10_000;

export class ImportProgress {
	/** Where the rate is measured from: after the letters skipped at the start of a resumed
	 * import, which pass in a blink and would make the estimate far too hopeful. */
	#base: { at: number; bytes: number };
	#shownAt = 0;
	#imported = 0;
	#skipped = 0;
	#bytesRead = 0;
	#waiting = '';

	constructor(
		private readonly totalBytes: number,
		/** What is counted: "Checked", "Imported". */
		private readonly verb: string,
		private readonly now: () => number = Date.now
	) {
		this.#base = { at: now(), bytes: 0 };
		this.#shownAt = this.#base.at;
	}

	/** The letters counted (checked, or new on the relay), not those imported before. */
	get counted(): number {
		return this.#imported;
	}

	/** One more letter done: counted (`imported`), or passed over as imported before. */
	letter(imported: boolean, bytesRead: number): void {
		if (imported) this.#imported += 1;
		else this.#skipped += 1;
		if (this.#imported === 0) this.#base = { at: this.now(), bytes: bytesRead };
		this.#bytesRead = bytesRead;
		this.#waiting = '';
		this.#show(false);
	}

	/** The import is paused (e.g. the relay asked to slow down); shown until the next letter. */
	waiting(reason: string): void {
		this.#waiting = reason;
		this.#show(statusRewrites());
	}

	/** A line of its own, above the status line. */
	note(text: string): void {
		clearStatus();
		printNote(text);
		this.#show(true);
	}

	/** The last status, then the terminal's line left clean. */
	finish(): void {
		this.#show(true);
		clearStatus();
	}

	#show(now: boolean): void {
		const at = this.now();
		if (!now && at - this.#shownAt < (statusRewrites() ? TERMINAL_EVERY_MS : LOG_EVERY_MS)) return;
		this.#shownAt = at;
		printStatus(this.line(at));
	}

	/** "Imported 120 letters (40 already there), 12.5 letters/s, 31% read, about 2 min left". */
	line(at: number): string {
		const seconds = Math.max(0.001, (at - this.#base.at) / 1000);
		const rate = this.#imported / seconds;
		const parts = [
			`${this.verb} ${this.#imported} letter${this.#imported === 1 ? '' : 's'}` +
				(this.#skipped > 0 ? ` (${this.#skipped} imported before)` : '')
		];
		if (this.#imported > 0) parts.push(`${rate.toFixed(1)} letters/s`);
		if (this.totalBytes > 0) {
			const share = Math.min(1, this.#bytesRead / this.totalBytes);
			parts.push(`${Math.floor(share * 100)}% read`);
			const done = this.#bytesRead - this.#base.bytes;
			const left = this.totalBytes - this.#bytesRead;
			if (this.#imported > 0 && done > 0 && left > 0) {
				parts.push(`about ${duration((seconds * left) / done)} left`);
			}
		}
		if (this.#waiting) parts.push(this.#waiting);
		return parts.join(', ');
	}
}

function duration(seconds: number): string {
	if (seconds < 90) return `${Math.ceil(seconds)} s`;
	if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
	return `${(seconds / 3600).toFixed(1)} h`;
}
