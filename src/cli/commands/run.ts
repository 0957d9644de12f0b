/**
 * `tracesim run [scenario]`: a thin adapter over `run()` (src/engine/run.ts) — parse options,
 * show progress, turn SIGINT into an abort, write the report files, print the summary, and map
 * the report to the exit code (0 ok, 1 interrupted/failed, 2 bad input, 3 gate failed, 4 invalid).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CommandModule } from '../command.js';
import type { CliContext } from '../context.js';
import type { ExitCode } from '../exit-codes.js';
import { createProgressLine } from '../progress.js';
import { run } from '../../engine/run.js';
import { LIVE_PROTOCOLS, type LiveProtocol } from '../../engine/live-protocol.js';
import { reportExitCode } from '../../report/build.js';
import { InputError } from '../../shared/errors.js';
import { parseDurationMs } from '../../shared/units.js';
import { repeatable, defaultOutDir, onInterrupt, emitReport, parseFormats, resolvePath } from './run-support.js';
import { parseIntOption } from './int-option.js';

export const DEFAULT_SCENARIO = 'scenarios/checkout.yaml';

/** The default scenario as shipped with tracesim (dist/cli/commands → ../../../scenarios). */
const BUNDLED_DEFAULT_SCENARIO = fileURLToPath(new URL(`../../../${DEFAULT_SCENARIO}`, import.meta.url));

/**
 * A scenario argument → a path. The default names `scenarios/checkout.yaml` under the working
 * directory when there is one (a checkout of this repository), else the copy shipped with tracesim,
 * so `tracesim run` works from any directory.
 */
function scenarioPathFor(ctx: CliContext, scenarioArg: string): string {
  const path = resolvePath(ctx, scenarioArg);
  if (scenarioArg === DEFAULT_SCENARIO && !existsSync(path)) return BUNDLED_DEFAULT_SCENARIO;
  return path;
}

interface RunCliOptions {
  mode: string;
  target?: string;
  protocol: string;
  collectorConfig?: string;
  duration?: string;
  rate?: string;
  seed?: string;
  workers?: string;
  set: string[];
  out?: string;
  format: string;
  gate: string[];
  progress: boolean;
  compat?: string;
  maxLagP99: string;
}

export const registerRun: CommandModule = (program: Command, ctx: CliContext, setExitCode) => {
  program
    .command('run')
    .description('run a scenario through the bundled collector (sim mode by default) and report retention, storage and drops')
    .argument('[scenario]', 'scenario YAML', DEFAULT_SCENARIO)
    .addOption(new Option('--mode <mode>', 'sim (virtual time) or live (wall clock, real OTLP)').choices(['sim', 'live']).default('sim'))
    .option('--target <url>', 'live: send to this OTLP endpoint (grpc://host:port, http://host:port) instead of the bundled collector')
    .addOption(new Option('--protocol <protocol>', 'live: OTLP transport').choices([...LIVE_PROTOCOLS]).default('grpc'))
    .option('--collector-config <file>', "collector config YAML (default: the scenario's collector:)")
    .option('--duration <duration>', 'traffic duration, e.g. 30s or 10m (overrides traffic.duration)')
    .option('--rate <rate>', 'traces per second, e.g. 500/s (overrides traffic.rate; stages scale with it)')
    .option('--seed <n>', 'random seed (overrides seed)')
    .option('--workers <n>', 'generator worker threads (default: cores − 1)')
    .addOption(repeatable('--set <path=value>', 'override a scenario key, or a collector key under collector. (repeatable)'))
    .option('--out <dir>', 'report directory (default reports/<scenario>-<timestamp>/)')
    .option('--format <list>', 'report formats: table,json,md,html,junit', 'table,json,md,html')
    .addOption(repeatable('--gate <expr>', "gate expression, e.g. 'retention.traces <= 0.2' (repeatable)"))
    .option('--no-progress', 'no progress line')
    .addOption(new Option('--compat <profile>', 'behaviour profile (default: the scenario’s compat)').choices(['current', 'classic']))
    .option('--max-lag-p99 <duration>', 'live: the run is invalid when the schedule-lag p99 exceeds this', '50ms')
    .action(async (scenarioArg: string, opts: RunCliOptions, cmd: Command) => {
      setExitCode(await runCommand(ctx, scenarioArg, opts, (name) => cmd.getOptionValueSource(name) === 'cli'));
    });
};

async function runCommand(ctx: CliContext, scenarioArg: string, opts: RunCliOptions, given: (option: string) => boolean): Promise<ExitCode> {
  const formats = parseFormats(opts.format);
  const maxLagP99Ms = parseDurationMs(opts.maxLagP99) ?? (/^\d+(\.\d+)?$/.test(opts.maxLagP99) ? Number(opts.maxLagP99) : undefined);
  if (maxLagP99Ms === undefined || !(maxLagP99Ms > 0)) throw new InputError(`--max-lag-p99 "${opts.maxLagP99}": expected a duration such as 50ms`);
  if (opts.mode !== 'live') {
    // live-only options are refused in sim runs rather than ignored
    if (opts.target !== undefined) throw new InputError('--target needs --mode live (sim runs never touch the network)');
    if (given('protocol')) throw new InputError('--protocol needs --mode live (sim runs send nothing over the network)');
    if (given('maxLagP99')) throw new InputError('--max-lag-p99 needs --mode live (sim runs have no schedule lag)');
  }
  const scenarioPath = scenarioPathFor(ctx, scenarioArg);
  const controller = new AbortController();
  const unsubscribe = onInterrupt(ctx, () => controller.abort());
  const progress = createProgressLine(ctx.stderr, opts.progress);
  try {
    const seed = opts.seed === undefined ? undefined : parseIntOption('--seed', opts.seed, Number.MIN_SAFE_INTEGER);
    const workers = opts.workers === undefined ? undefined : parseIntOption('--workers', opts.workers, 0);
    const result = await run({
      scenarioPath,
      mode: opts.mode as 'sim' | 'live',
      ...(opts.collectorConfig !== undefined ? { collectorConfigPath: resolvePath(ctx, opts.collectorConfig) } : {}),
      ...(opts.duration !== undefined ? { duration: opts.duration } : {}),
      ...(opts.rate !== undefined ? { rate: opts.rate } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(opts.compat !== undefined ? { compat: opts.compat as 'current' | 'classic' } : {}),
      ...(opts.target !== undefined ? { target: opts.target } : {}),
      // not given: the --target scheme decides (gRPC for the bundled collector)
      ...(given('protocol') ? { protocol: opts.protocol as LiveProtocol } : {}),
      maxLagP99Ms,
      set: opts.set,
      gates: opts.gate,
      env: ctx.env,
      signal: controller.signal,
      onProgress: (e) => progress.update(e),
    });
    progress.clear();
    const outDir = opts.out !== undefined ? resolvePath(ctx, opts.out) : defaultOutDir(ctx, result.report.scenario.name);
    await emitReport(ctx, result.report, formats, outDir, result.outcome.warnings);
    return reportExitCode(result.report);
  } finally {
    progress.clear();
    unsubscribe();
  }
}
