// One measured figure and how it is shown: the value, the anchor measured in the same run, their
// ratio, and the goal it is judged against. Benchmarks report; they never fail on speed.

export interface Measure {
	value: number;
	unit: string;
}

export interface Figure {
	/** The benchmark that produced it (`crypto`, `relay`, `first-load`). */
	bench: string;
	name: string;
	value: Measure | null;
	/** What the value is compared with, measured in the same run on the same bytes. */
	anchor?: Measure & { name: string };
	/** value ÷ anchor, when both are known. */
	ratio?: number;
	goal?: Goal;
	/** Why a figure has no value, or what it does not cover. */
	note?: string;
}

export interface Goal {
	text: string;
	met: boolean;
}

/** A throughput in MB/s (10^6 bytes per second) from a byte count and milliseconds. */
export function megabytesPerSecond(bytes: number, milliseconds: number): Measure {
	return { value: bytes / 1e6 / (milliseconds / 1000), unit: 'MB/s' };
}

/** A figure next to its anchor; `goal` judges the ratio (or the value itself). */
export function compared(
	bench: string,
	name: string,
	value: Measure,
	anchor: Measure & { name: string },
	goal?: (ratio: number) => Goal
): Figure {
	const ratio = value.value / anchor.value;
	return { bench, name, value, anchor, ratio, goal: goal?.(ratio) };
}

export function formatMeasure(measure: Measure | null | undefined): string {
	if (!measure) return '—';
	const { value, unit } = measure;
	const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
	return `${value.toFixed(digits)} ${unit}`;
}

/** Sizes in the units people use for them: MiB for data, MB for memory (as `top` shows). */
export const MIB = 1024 * 1024;

export function sizeLabel(bytes: number): string {
	return bytes >= MIB ? `${bytes / MIB} MiB` : `${bytes / 1024} KiB`;
}
