// The bare-HTTP anchor's server: Node's own http server answering every request with one fixed
// answer (the relay's GET /api/info, headers and body, given in ANSWER as JSON) on loopback,
// and nothing else. Run in its own process, as the relay is, so the same load generator loads it.
import { createServer } from 'node:http';

const answer = /** @type {{ headers: Record<string, string>, body: string }} */ (
	JSON.parse(process.env.ANSWER ?? '')
);
const port = Number(process.env.PORT);
createServer((req, res) => {
	res.writeHead(200, answer.headers);
	res.end(answer.body);
}).listen(port, '127.0.0.1', () => process.send?.('ready'));
