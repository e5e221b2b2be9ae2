// The one Session of the browser app, with its crypto running in a Web Worker and the relay
// on the same origin.
import { RelayClient } from '$lib/client/relay-client';
import { Session } from '$lib/client/session.svelte';
import { startCryptoWorker } from '$lib/crypto/worker-client';

export const session = new Session(startCryptoWorker, new RelayClient(''));
