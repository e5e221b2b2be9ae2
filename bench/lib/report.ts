// Prints the figures as one table and writes them as JSON, so two runs can be compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { formatMeasure, type Figure } from './figures';

const HEADINGS = ['figure', 'value', 'anchor', 'ratio', 'goal'];

export function printTable(figures: Figure[]): void {
	const rows = figures.map((figure) => [
		`${figure.bench}: ${figure.name}`,
		formatMeasure(figure.value),
		figure.anchor ? `${formatMeasure(figure.anchor)} (${figure.anchor.name})` : '—',
		figure.ratio === undefined ? '—' : `${(figure.ratio * 100).toFixed(0)}%`,
		figure.goal ? `${figure.goal.text} ${figure.goal.met ? '✓' : '✗'}` : '—'
	]);
	const widths = HEADINGS.map((heading, column) =>
		Math.max(heading.length, ...rows.map((row) => row[column]!.length))
	);
	const line = (cells: string[]) =>
		cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' │ ');
	console.log(line(HEADINGS));
	console.log(widths.map((width) => '─'.repeat(width)).join('─┼─'));
	for (const row of rows) console.log(line(row));
	const notes = figures.filter((figure) => figure.note);
	if (notes.length > 0) console.log('');
	for (const figure of notes) console.log(`• ${figure.bench}: ${figure.name}: ${figure.note}`);
}

/** Writes bench/results/<timestamp>.json and returns its path. */
export function writeResults(figures: Figure[], startedAt: Date): string {
	const directory = join(import.meta.dirname, '..', 'results');
	mkdirSync(directory, { recursive: true });
	const path = join(directory, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
	const machine = {
		cpu: cpus()[0]?.model ?? 'unknown',
		cores: cpus().length,
		memoryBytes: totalmem(),
		arch: arch(),
		node: process.version
	};
	writeFileSync(path, JSON.stringify({ startedAt, machine, figures }, null, '\t') + '\n');
	return path;
}
