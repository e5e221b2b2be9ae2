// The peak memory of a child process, read from Linux's /proc while it runs. A cap kills the
// child as soon as it passes it, so a test of a memory bomb fails in a second instead of
// taking the machine's memory with it.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface MemoryWatch {
	/** The highest resident set size seen (VmHWM), in bytes. */
	peakBytes(): number;
	/** True once the child passed the cap and was killed for it. */
	exceeded(): boolean;
	stop(): void;
}

function residentBytes(pid: number): { now: number; peak: number } | null {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kib = (field: string) =>
			Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
		return { now: kib('VmRSS') * 1024, peak: kib('VmHWM') * 1024 };
	} catch {
		return null; // the child has exited
	}
}

export function watchMemory(child: ChildProcess, capBytes: number): MemoryWatch {
	let peak = 0;
	let exceeded = false;
	const sample = () => {
		const usage = child.pid === undefined ? null : residentBytes(child.pid);
		// A process that is exiting (or a zombie) lists no memory lines.
		if (!usage || !Number.isFinite(usage.now) || !Number.isFinite(usage.peak)) return;
		peak = Math.max(peak, usage.peak);
		if (usage.now > capBytes && !exceeded) {
			exceeded = true;
			child.kill('SIGKILL');
		}
	};
	const timer = setInterval(sample, 20);
	child.once('exit', () => clearInterval(timer));
	return {
		peakBytes: () => peak,
		exceeded: () => exceeded,
		stop: () => clearInterval(timer)
	};
}
