// How far an import has come, for the CLI's status line and Settings → Import alike: letters so
// far, letters per second and the time left, estimated from the bytes of the source read.
export interface ImportStatus {
	/** Letters counted: checked, or new on the relay. */
	counted: number;
	/** Letters passed over as imported before. */
	skipped: number;
	/** Letters counted per second, once there is one. */
	perSecond?: number;
	/** Share of the source read, 0 to 1, when its size is known. */
	shareRead?: number;
	secondsLeft?: number;
}

export class ImportMeter {
	/** Where the rate is measured from: after the letters skipped at the start of a resumed
	 * import, which pass in a blink and would make the estimate far too hopeful. */
	#base: { at: number; bytes: number };
	#counted = 0;
	#skipped = 0;
	#bytesRead = 0;

	constructor(
		private readonly totalBytes: number,
		private readonly now: () => number = Date.now
	) {
		this.#base = { at: now(), bytes: 0 };
	}

	get counted(): number {
		return this.#counted;
	}

	letter(counted: boolean, bytesRead: number): void {
		if (counted) this.#counted += 1;
		else this.#skipped += 1;
		if (this.#counted === 0) this.#base = { at: this.now(), bytes: bytesRead };
		this.#bytesRead = bytesRead;
	}

	status(at = this.now()): ImportStatus {
		const status: ImportStatus = { counted: this.#counted, skipped: this.#skipped };
		const seconds = Math.max(0.001, (at - this.#base.at) / 1000);
		if (this.#counted > 0) status.perSecond = this.#counted / seconds;
		if (this.totalBytes > 0) {
			status.shareRead = Math.min(1, this.#bytesRead / this.totalBytes);
			const done = this.#bytesRead - this.#base.bytes;
			const left = this.totalBytes - this.#bytesRead;
			if (this.#counted > 0 && done > 0 && left > 0) status.secondsLeft = (seconds * left) / done;
		}
		return status;
	}
}
