/**
 * `tracesim replay FILE... --collector-config C.yaml`: recorded spans (OTLP JSON lines or OTLP
 * protobuf request files) through a pipeline in virtual time; a thin adapter over `replay()`.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CommandModule } from '../command.js';
import type { CliContext } from '../context.js';
import type { ExitCode } from '../exit-codes.js';
import { createProgressLine } from '../progress.js';
import { replay } from '../../engine/replay-run.js';
import { reportExitCode } from '../../report/build.js';
import { InputError } from '../../shared/errors.js';
import { parseDurationMs } from '../../shared/units.js';
import { repeatable, defaultOutDir, onInterrupt, emitReport, parseFormats, resolvePath } from './run-support.js';

interface ReplayCliOptions {
  collectorConfig: string;
  arrivalDelay: string;
  slow: string;
  set: string[];
  gate: string[];
  out?: string;
  format: string;
  progress: boolean;
  compat: string;
}

export const registerReplay: CommandModule = (program: Command, ctx: CliContext, setExitCode) => {
  program
    .command('replay')
    .description('push recorded spans (OTLP JSON lines, OTLP protobuf files) through a collector config in virtual time')
    .argument('<files...>', 'recorded spans: .json/.jsonl (OTLP JSON lines) or .bin/.pb (OTLP protobuf requests), plain or zstd (.zst)')
    .requiredOption('--collector-config <file>', 'collector config YAML')
    .option('--arrival-delay <duration>', "a span reaches the collector this long after it ends (the SDK's export delay)", '5s')
    .option('--slow <duration>', 'traces at least this long count as slow (ground truth for retention by class)', '1s')
    .addOption(repeatable('--set <path=value>', 'override a collector key: collector.<path>=<value> (repeatable)'))
    .addOption(repeatable('--gate <expr>', 'gate expression (repeatable)'))
    .option('--out <dir>', 'report directory (default reports/<file>-<timestamp>/)')
    .option('--format <list>', 'report formats: table,json,md,html,junit', 'table,json,md,html')
    .option('--no-progress', 'no progress line')
    .addOption(new Option('--compat <profile>', 'behaviour profile').choices(['current', 'classic']).default('current'))
    .action(async (files: string[], opts: ReplayCliOptions) => {
      setExitCode(await replayCommand(ctx, files, opts));
    });
};

function durationOption(name: string, text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms < 0) throw new InputError(`${name} "${text}": expected a duration such as 5s or 250ms`);
  return ms;
}

async function replayCommand(ctx: CliContext, files: string[], opts: ReplayCliOptions): Promise<ExitCode> {
  const formats = parseFormats(opts.format);
  const arrivalDelayMs = durationOption('--arrival-delay', opts.arrivalDelay);
  const slowThresholdMs = durationOption('--slow', opts.slow);
  const controller = new AbortController();
  const unsubscribe = onInterrupt(ctx, () => controller.abort());
  const progress = createProgressLine(ctx.stderr, opts.progress);
  try {
    const { report, outcome } = await replay({
      files: files.map((f) => resolvePath(ctx, f)),
      collectorConfigPath: resolvePath(ctx, opts.collectorConfig),
      arrivalDelayMs,
      slowThresholdMs,
      set: opts.set,
      gates: opts.gate,
      compat: opts.compat as 'current' | 'classic',
      env: ctx.env,
      signal: controller.signal,
      onProgress: (e) => progress.update(e),
    });
    progress.clear();
    const outDir = opts.out !== undefined ? resolvePath(ctx, opts.out) : defaultOutDir(ctx, report.scenario.name);
    await emitReport(ctx, report, formats, outDir, outcome.warnings);
    return reportExitCode(report);
  } finally {
    progress.clear();
    unsubscribe();
  }
}
