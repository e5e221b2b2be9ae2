// The relay under load, over loopback, as `npm start` serves the built app: small-message
// sends from N concurrent clients on SQLite and on PostgreSQL, against the same load on the
// relay's cheapest endpoint; and 8 MiB attachment blocks against the disk's own sequential speed.
import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import postgres from 'postgres';
import { startApp, type RunningApp } from '../lib/app-server';
import { compared, type Figure, type Goal, type Measure } from '../lib/figures';
import { makeAccounts, type BenchAccount } from './accounts';
import { blockTransfers } from './blocks';
import { runLoad, type LoadResult } from './load';

const PORTS = { sqlite: 4311, postgres: 4312 };
const SEND_GOAL_PER_SECOND = 2000;
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
		warmupSeconds: number('BENCH_RELAY_WARMUP_SECONDS', 1),
		blocks: Math.floor(number('BENCH_RELAY_BLOCKS', 24)),
		databaseUrl: process.env.BENCH_DATABASE_URL || process.env.LETTERLOCK_TEST_DATABASE_URL
	};
}

type Settings = ReturnType<typeof settings>;

const smallBody = (index: number) =>
	openpgp.createMessage({
		text: `Subject: load test ${index}\r\n\r\n${'A short note, as most mail is. '.repeat(30)}`
	});

function send(app: RunningApp, account: BenchAccount) {
	return fetch(`${app.origin}/api/messages`, {
		method: 'POST',
		headers: { authorization: `Bearer ${account.token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ to: [account.recipient], message: account.message })
	});
}

async function sendLoad(app: RunningApp, options: Settings, backend: string): Promise<Figure[]> {
	const accounts = await makeAccounts(app.origin, options.clients, smallBody);
	const load = {
		clients: options.clients,
		seconds: options.seconds,
		warmupSeconds: options.warmupSeconds
	};
	// The anchor: the same clients against the relay's cheapest endpoint (no storage, no crypto),
	// which is what this machine's HTTP stack and load generator can do at best.
	const ceiling = await runLoad({
		...load,
		request: async () => ({ response: await fetch(`${app.origin}/api/info`), expected: 200 })
	});
	const sends = await runLoad({
		...load,
		request: async (index) => ({ response: await send(app, accounts[index]!), expected: 201 })
	});
	const where = `${options.clients} clients, ${backend}`;
	const isSqlite = backend === 'SQLite';
	const anchor = (measure: Measure) => ({ ...measure, name: 'GET /api/info' });
	const latency = (name: 'p50' | 'p99', goal?: (ratio: number) => Goal) =>
		compared(
			'relay',
			`send latency ${name} (${where})`,
			{ value: sends[name], unit: 'ms' },
			anchor({ value: ceiling[name], unit: 'ms' }),
			goal
		);
	return [
		{
			...compared(
				'relay',
				`small-message sends (${where})`,
				{ value: sends.perSecond, unit: '/s' },
				anchor({ value: ceiling.perSecond, unit: '/s' }),
				isSqlite
					? () => ({
							text: `≥ ${SEND_GOAL_PER_SECOND}/s`,
							met: sends.perSecond >= SEND_GOAL_PER_SECOND
						})
					: undefined
			),
			note: failureNote(sends)
		},
		latency('p50'),
		latency(
			'p99',
			isSqlite ? () => ({ text: `< ${P99_GOAL_MS} ms`, met: sends.p99 < P99_GOAL_MS }) : undefined
		)
	];
}

function failureNote(result: LoadResult): string | undefined {
	return result.failures > 0
		? `${result.failures} requests failed; the first: ${result.firstFailure}`
		: undefined;
}

async function onSqlite(options: Settings): Promise<Figure[]> {
	const app = await startApp(PORTS.sqlite);
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
	const app = await startApp(PORTS.postgres, {
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
