// What an import shows while it runs, on stderr: letters so far, letters per second and the time
// left (mail-import-meter.ts). On a terminal one line rewrites itself a few times a second; in a
// log (no terminal) a line is added every LOG_EVERY_MS. The relay's requests to slow down get a
// line of their own, at most once a minute; in between, the status line says the import waits.
import { ImportMeter } from '../lib/client/mail-import-meter';
import type { ImportObserver, RelayWait } from '../lib/client/mail-import-run';
import { clearStatus, printNote, printStatus, statusRewrites } from './output';

const TERMINAL_EVERY_MS = 250;
const LOG_EVERY_MS = 10_000;
const TELL_EVERY_MS = 60_000;

export class ImportProgress implements ImportObserver {
	readonly #meter: ImportMeter;
	#shownAt = 0;
	#toldAt = -Infinity;
	#waiting = '';

	constructor(
		totalBytes: number,
		/** What is counted: "Checked", "Imported". */
		private readonly verb: string,
		private readonly now: () => number = Date.now
	) {
		this.#meter = new ImportMeter(totalBytes, now);
		this.#shownAt = now();
	}

	/** The letters counted (checked, or new on the relay), not those imported before. */
	get counted(): number {
		return this.#meter.counted;
	}

	letter(counted: boolean, bytesRead: number): void {
		this.#meter.letter(counted, bytesRead);
		this.#waiting = '';
		this.#show(false);
	}

	waiting({ slowDown, reason, seconds }: RelayWait): void {
		this.#waiting = `waiting ${seconds} s for the relay`;
		if (this.now() - this.#toldAt < TELL_EVERY_MS) return this.#show(statusRewrites());
		this.#toldAt = this.now();
		// The slow-down sentence already says all there is; "unavailable" needs its reason.
		const why = slowDown ? 'The relay asks to slow down' : `The relay is unavailable (${reason})`;
		clearStatus();
		printNote(`${why}; ${this.#waiting}, then the import goes on.`);
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

	/** "Imported 120 letters (40 imported before), 12.5 letters/s, 31% read, about 2 min left". */
	line(at: number): string {
		const { counted, skipped, perSecond, shareRead, secondsLeft } = this.#meter.status(at);
		const parts = [
			`${this.verb} ${counted} letter${counted === 1 ? '' : 's'}` +
				(skipped > 0 ? ` (${skipped} imported before)` : '')
		];
		if (perSecond !== undefined) parts.push(`${perSecond.toFixed(1)} letters/s`);
		if (shareRead !== undefined) parts.push(`${Math.floor(shareRead * 100)}% read`);
		if (secondsLeft !== undefined) parts.push(`about ${duration(secondsLeft)} left`);
		if (this.#waiting) parts.push(this.#waiting);
		return parts.join(', ');
	}
}

function duration(seconds: number): string {
	if (seconds < 90) return `${Math.ceil(seconds)} s`;
	if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
	return `${(seconds / 3600).toFixed(1)} h`;
}
