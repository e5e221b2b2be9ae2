// The rate and time left shown for uploads and downloads: from the last few seconds, so a
// transfer that speeds up or stalls shows it, and in words a person reads at a glance.
import { describe, expect, it } from 'vitest';
import { TransferMeter, describeTransfer } from '../../src/lib/client/transfer-meter';

const MB = 1e6;

describe('transfer meter', () => {
	it('knows no rate from a single sample, then the rate and time left from two', () => {
		const meter = new TransferMeter();
		expect(meter.update(0, 100 * MB, 0)).toEqual({
			done: 0,
			total: 100 * MB,
			rate: null,
			secondsLeft: null
		});
		const figures = meter.update(20 * MB, 100 * MB, 2000);
		expect(figures.rate).toBe(10 * MB);
		expect(figures.secondsLeft).toBe(8);
		expect(describeTransfer(figures)).toBe('20.0 MB of 100.0 MB · 10.0 MB/s · about 8 s left');
	});

	it('follows the last ten seconds, not the average since the start', () => {
		const meter = new TransferMeter();
		meter.update(0, 1000 * MB, 0);
		meter.update(10 * MB, 1000 * MB, 10_000); // 1 MB/s at first
		meter.update(110 * MB, 1000 * MB, 15_000);
		const figures = meter.update(210 * MB, 1000 * MB, 20_000); // then 20 MB/s
		expect(figures.rate).toBe(20 * MB);
		expect(describeTransfer(figures)).toContain('about 40 s left');
	});

	it('lets the rate fall while nothing moves, and says nothing of time left when done', () => {
		const meter = new TransferMeter();
		meter.update(0, 50 * MB, 0);
		const moving = meter.update(10 * MB, 50 * MB, 1000);
		const stalled = meter.update(10 * MB, 50 * MB, 5000);
		expect(stalled.rate!).toBeLessThan(moving.rate!);
		expect(describeTransfer(meter.update(50 * MB, 50 * MB, 6000))).not.toContain('left');
	});
});
