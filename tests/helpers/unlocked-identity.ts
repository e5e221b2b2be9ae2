// An identity made and unlocked in a crypto engine of its own, as after unlocking on a device:
// for tests of what is sealed under an identity's key (and that another engine cannot open).
import { CryptoEngine } from '../../src/lib/crypto/engine';
import type { GeneratedIdentity } from '../../src/lib/crypto/types';

const PASSPHRASE = 'correct horse battery staple';

export async function unlockedIdentity(
	name: string,
	address: string
): Promise<{ engine: CryptoEngine; identity: GeneratedIdentity }> {
	const engine = new CryptoEngine();
	const identity = await engine.generateIdentity({ name, address, passphrase: PASSPHRASE });
	await engine.unlock({ lockedPrivateKey: identity.lockedPrivateKey, passphrase: PASSPHRASE });
	return { engine, identity };
}
