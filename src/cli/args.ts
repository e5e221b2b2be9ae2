// Command-line parsing on node:util parseArgs. Global options may appear before or after the
// command name, so the command is found first and the rest is parsed with its own options.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export const GLOBAL_OPTIONS = {
	relay: { type: 'string' },
	home: { type: 'string' },
	help: { type: 'boolean', short: 'h' }
} satisfies OptionsConfig;

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface ParsedArgs {
	values: Values;
	positionals: string[];
}

/** Splits argv into the command name (if any) and the remaining arguments. */
export function splitCommand(argv: string[]): { name: string | null; rest: string[] } {
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index]!;
		if (arg === '--') break;
		// The value of a global option is not the command, e.g. `--home mail list`.
		if (arg === '--relay' || arg === '--home') {
			index++;
			continue;
		}
		if (arg.startsWith('-')) continue;
		return { name: arg, rest: [...argv.slice(0, index), ...argv.slice(index + 1)] };
	}
	return { name: null, rest: argv };
}

export function parse(args: string[], options: OptionsConfig): ParsedArgs {
	try {
		const { values, positionals } = parseArgs({
			args,
			options: { ...GLOBAL_OPTIONS, ...options },
			allowPositionals: true,
			strict: true
		});
		return { values, positionals };
	} catch (error) {
		throw new UsageError(describeParseError(error));
	}
}

function describeParseError(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const code = (error as { code?: unknown }).code;
	const quoted = /'([^']+)'/.exec(message)?.[1];
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `Unknown option ${quoted}.`;
	if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted)
		return `Unexpected argument “${quoted}”.`;
	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted)
		return `Option ${quoted.split(' ')[0]} needs a value.`;
	return message;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
	const value = args.values[name];
	return typeof value === 'string' ? value : undefined;
}

export function requiredString(args: ParsedArgs, name: string): string {
	const value = stringOption(args, name);
	if (value === undefined) throw new UsageError(`Missing --${name}.`);
	return value;
}

export function stringList(args: ParsedArgs, name: string): string[] {
	const value = args.values[name];
	if (value === undefined) return [];
	return (Array.isArray(value) ? value : [value]).filter((item) => typeof item === 'string');
}

export function flag(args: ParsedArgs, name: string): boolean {
	return args.values[name] === true;
}

/** Exactly the named positional arguments, in order. */
export function positionals(args: ParsedArgs, names: string[]): string[] {
	if (args.positionals.length < names.length) {
		throw new UsageError(`Missing ${names[args.positionals.length]}.`);
	}
	if (args.positionals.length > names.length) {
		throw new UsageError(`Unexpected argument “${args.positionals[names.length]}”.`);
	}
	return args.positionals;
}
