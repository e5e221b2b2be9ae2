// The relay under load, over loopback, as `npm start` serves the built app: small-message
// sends from N concurrent clients on SQLite and on PostgreSQL, against the same load on the
// relay's cheapest endpoint; and 8 MiB attachment blocks against the disk's own sequential speed.
import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import postgres from 'postgres';
import { startApp, type RunningApp } from '../lib/app-server';
import { compared, type Figure, type Goal, type Measure } from '../lib/figures';
import { makeAccounts, type BenchAccount } from './accounts';
import { postfixRate, startBareHttp } from './anchors';
import { blockTransfers } from './blocks';
import { httpClient, type HttpClient } from './client';
import { runInterleaved, type LoadResult } from './load';

const SQLITE_SENDS_PER_SECOND = 2000;
const POSTGRES_SENDS_PER_SECOND = 1500;
/** Sends as a share of the same run's GET /api/info, and that no-op's share of bare node:http. */
const SEND_SHARE_GOAL = 0.6;
const NO_OP_GOAL = 0.8;
const P99_GOAL_MS = 50;

function settings() {
	const number = (name: string, fallback: number) => {
		const value = Number(process.env[name] ?? fallback);
		if (!(value > 0)) throw new Error(`${name} must be a positive number.`);
		return value;
	};
	return {
		clients: Math.floor(number('BENCH_RELAY_CLIENTS', 64)),
		seconds: number('BENCH_RELAY_SECONDS', 8),
		warmupSeconds: number('BENCH_RELAY_WARMUP_SECONDS', 0.5),
		rounds: Math.floor(number('BENCH_RELAY_ROUNDS', 4)),
		blocks: Math.floor(number('BENCH_RELAY_BLOCKS', 24)),
		databaseUrl: process.env.BENCH_DATABASE_URL || process.env.LETTERLOCK_TEST_DATABASE_URL,
		// The SQLite relay's port; PostgreSQL's is the next one. Another port keeps two benchmark
		// runs on one machine apart.
		port: Math.floor(number('BENCH_RELAY_PORT', 4311))
	};
}

type Settings = ReturnType<typeof settings>;

const smallBody = (index: number) =>
	openpgp.createMessage({
		text: `Subject: load test ${index}\r\n\r\n${'A short note, as most mail is. '.repeat(30)}`
	});

function send(client: HttpClient, app: RunningApp, account: BenchAccount) {
	return client.send(`${app.origin}/api/messages`, {
		method: 'POST',
		headers: { authorization: `Bearer ${account.token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ to: [account.recipient], message: account.message })
	});
}

/** Offsets from BENCH_RELAY_PORT: the relays on SQLite and PostgreSQL, then the anchors' servers
 * (past the other benchmarks' fixed ports). */
const PORT_OFFSET = { postgres: 1, bareHttp: 6, smtp: 7 };
const SMTP_MESSAGES = 20_000;

async function sendLoad(app: RunningApp, options: Settings, backend: string): Promise<Figure[]> {
	const accounts = await makeAccounts(app.origin, options.clients, smallBody);
	// What this machine's HTTP stack and load generator manage at best: Node's bare server with
	// the same answer, then the relay's cheapest endpoint (no storage, no crypto).
	const bareServer = await startBareHttp(app.origin, options.port + PORT_OFFSET.bareHttp);
	const client = httpClient(options.clients);
	const { bare, ceiling, sends } = await runInterleaved(
		{
			bare: async () => ({ answer: await client.send(bareServer.url), expected: 200 }),
			ceiling: async () => ({
				answer: await client.send(`${app.origin}/api/info`),
				expected: 200
			}),
			sends: async (index) => ({
				answer: await send(client, app, accounts[index]!),
				expected: 201
			})
		},
		options
	).finally(() => {
		client.close();
		bareServer.stop();
	});
	const messageBytes = Buffer.byteLength(accounts[0]!.message);
	const postfix = await postfixRate(
		options.port + PORT_OFFSET.smtp,
		options.clients,
		messageBytes,
		SMTP_MESSAGES
	);
	const where = `${options.clients} clients, ${backend}`;
	const isSqlite = backend === 'SQLite';
	const rateGoal = isSqlite ? SQLITE_SENDS_PER_SECOND : POSTGRES_SENDS_PER_SECOND;
	const anchor = (measure: Measure) => ({ ...measure, name: 'GET /api/info' });
	const latency = (name: 'p50' | 'p99', goal?: (ratio: number) => Goal) =>
		compared(
			'relay',
			`send latency ${name} (${where})`,
			{ value: sends[name], unit: 'ms' },
			anchor({ value: ceiling[name], unit: 'ms' }),
			goal
		);
	const postfixName = `Postfix smtp-source → smtp-sink, ${options.clients} sessions, ${messageBytes} B`;
	return [
		{
			...compared(
				'relay',
				`GET /api/info (${where})`,
				{ value: ceiling.perSecond, unit: '/s' },
				{ value: bare.perSecond, unit: '/s', name: 'bare node:http, same answer' },
				(ratio) => ({ text: `≥ ${NO_OP_GOAL * 100}% of bare`, met: ratio >= NO_OP_GOAL })
			),
			note: failureNote(bare) ?? failureNote(ceiling)
		},
		{
			...compared(
				'relay',
				`small-message sends (${where})`,
				{ value: sends.perSecond, unit: '/s' },
				anchor({ value: ceiling.perSecond, unit: '/s' }),
				(ratio) => ({
					text: `≥ ${rateGoal}/s, ≥ ${SEND_SHARE_GOAL * 100}% of GET /api/info`,
					met: sends.perSecond >= rateGoal && ratio >= SEND_SHARE_GOAL
				})
			),
			note: failureNote(sends)
		},
		latency('p50'),
		latency(
			'p99',
			isSqlite ? () => ({ text: `≤ ${P99_GOAL_MS} ms`, met: sends.p99 <= P99_GOAL_MS }) : undefined
		),
		'missing' in postfix
			? {
					bench: 'relay',
					name: `small-message sends next to ${postfixName}`,
					value: null,
					note: postfix.missing
				}
			: compared(
					'relay',
					`small-message sends next to Postfix (${where})`,
					{ value: sends.perSecond, unit: '/s' },
					{ value: postfix.perSecond, unit: '/s', name: postfixName }
				)
	];
}

function failureNote(result: LoadResult): string | undefined {
	return result.failures > 0
		? `${result.failures} requests failed; the first: ${result.firstFailure}`
		: undefined;
}

async function onSqlite(options: Settings): Promise<Figure[]> {
	const app = await startApp(options.port);
	try {
		return [
			...(await sendLoad(app, options, 'SQLite')),
			...(await blockTransfers(app, options.blocks, 'SQLite'))
		];
	} finally {
		await app.stop();
	}
}

async function onPostgres(options: Settings): Promise<Figure[]> {
	if (!options.databaseUrl) {
		return [
			{
				bench: 'relay',
				name: 'sends on PostgreSQL',
				value: null,
				note: 'Skipped: set BENCH_DATABASE_URL (or LETTERLOCK_TEST_DATABASE_URL) to a PostgreSQL database.'
			}
		];
	}
	// A schema of its own, dropped afterwards, so the benchmark never touches other data.
	const schema = `bench_${randomBytes(6).toString('hex')}`;
	const app = await startApp(options.port + PORT_OFFSET.postgres, {
		DATABASE_URL: options.databaseUrl,
		LETTERLOCK_DATABASE_SCHEMA: schema
	});
	try {
		return [
			...(await sendLoad(app, options, 'PostgreSQL')),
			...(await blockTransfers(app, options.blocks, 'PostgreSQL'))
		];
	} finally {
		await app.stop();
		const sql = postgres(options.databaseUrl, { onnotice: () => {} });
		await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
		await sql.end();
	}
}

export async function runRelayBench(): Promise<Figure[]> {
	const options = settings();
	return [...(await onSqlite(options)), ...(await onPostgres(options))];
}
