import type { Command } from 'commander';
import type { CliContext } from './context.js';
import type { ExitCode } from './exit-codes.js';

/**
 * One subcommand: registers itself on the program. Its action resolves to the exit code; it
 * writes only through `ctx` and throws `InputError` for input the user can fix.
 */
export type CommandModule = (program: Command, ctx: CliContext, setExitCode: (code: ExitCode) => void) => void;
