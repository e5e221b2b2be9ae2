/// <reference lib="webworker" />
// The crypto Web Worker: the only place in the browser where OpenPGP runs and where the
// unlocked private key lives. The page talks to it through worker-client.ts.
import { CryptoEngine } from './engine';
import { answer, transferableResult, type RpcRequest } from './rpc';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const engine = new CryptoEngine();

scope.addEventListener('message', (event: MessageEvent<RpcRequest>) => {
	void answer(engine, event.data).then((response) =>
		scope.postMessage(response, { transfer: transferableResult(event.data.method, response) })
	);
});
