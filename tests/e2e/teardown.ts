// Removes the run's relay data directory; set LETTERLOCK_E2E_KEEP=1 to keep it for a look.
import { rmSync } from 'node:fs';

export default function teardown(): void {
	const dataDir = process.env.LETTERLOCK_E2E_DATA;
	if (dataDir && !process.env.LETTERLOCK_E2E_KEEP)
		rmSync(dataDir, { recursive: true, force: true });
}
