// A directory answer held against this device's pins: the keys it serves (usable or not, and
// whether the pinned key certified one as its successor) and the trust state that follows.
import type { CryptoApi } from '../crypto/types';
import { isValidAddress } from '../protocol/address';
import type { LookupResponse } from '../protocol/api';
import type { Assessment, ContactBook, ContactRecord, ServedKey } from './trust';

/** `pinned`: checks each other key for a certification by it (a rotation). */
export function servedKeys(
	crypto: CryptoApi,
	answer: LookupResponse | null,
	pinned?: ContactRecord
): Promise<ServedKey[]> {
	return Promise.all(
		(answer?.keys ?? []).map(async (key) => ({
			fingerprint: key.fingerprint,
			publicKey: key.publicKey,
			certifiedByPinned:
				pinned !== undefined &&
				pinned.fingerprint !== key.fingerprint &&
				(await crypto.certifiedBy({
					publicKey: key.publicKey,
					certifier: pinned.publicKey,
					address: pinned.address
				})),
			usable: await crypto.inspectPublicKey(key.publicKey).then(
				(info) => info.usable,
				() => false
			)
		}))
	);
}

/** The trust state of `address` given the directory's `answer`; pins the key on first use. */
export async function assessAnswer(
	contacts: ContactBook,
	crypto: CryptoApi,
	address: string,
	answer: LookupResponse | null
): Promise<Assessment> {
	const pinned = isValidAddress(address) ? await contacts.get(address) : undefined;
	return contacts.assess(address, await servedKeys(crypto, answer, pinned));
}
