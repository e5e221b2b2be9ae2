import type { OptionsConfig, ParsedArgs } from './args';
import type { Context } from './context';

export interface Command {
	name: string;
	/** One line for the command list. */
	summary: string;
	/** The synopsis and option descriptions shown by `letterlock COMMAND --help`. */
	help: string;
	options: OptionsConfig;
	run(context: Context, args: ParsedArgs): Promise<void>;
}
