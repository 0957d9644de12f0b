import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exit-codes.js';
import { InputError } from '../shared/errors.js';
import { TOOL_VERSION } from '../shared/version.js';

/**
 * Parses `ctx.argv`, runs the chosen command and resolves to the exit code. Never exits the
 * process and never throws: user errors print one clear message, internal errors print the
 * message (stack only with TRACESIM_DEBUG=1).
 */
export async function runCli(ctx: CliContext): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.OK;
  const program = new Command('tracesim')
    .description('Load-testing and sampling simulator for OpenTelemetry trace pipelines')
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    });
  for (const register of commands) {
    register(program, ctx, (code) => {
      exitCode = code;
    });
  }
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync([...ctx.argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.OK;
      return ExitCode.INVALID_INPUT;
    }
    if (err instanceof InputError) {
      ctx.stderr.write(`error: ${err.message}\n`);
      return ExitCode.INVALID_INPUT;
    }
    const message = err instanceof Error ? err.message : String(err);
    ctx.stderr.write(`error: ${message}\n`);
    if (ctx.env['TRACESIM_DEBUG'] === '1' && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
    return ExitCode.RUN_FAILED;
  }
}
