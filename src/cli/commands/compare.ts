/**
 * `tracesim compare --scenario S.yaml A.yaml B.yaml ...` (and, through `seriesCommand`, `sweep`):
 * identical traffic through several configs (or values), one report per run in
 * `<out>/<n>-<label>/` and a side-by-side comparison in `<out>/`. Thin adapters over
 * `compare()` / `sweep()` (src/engine/compare.ts).
 *
 * Exit code: 1 if interrupted, 4 if any run is invalid, 3 if any run fails a gate, else 0.
 */
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { createProgressLine } from '../progress.js';
import { compare, type CompareCommonOptions, type ComparisonResult } from '../../engine/compare.js';
import { reportExitCode } from '../../report/build.js';
import { labelStem } from '../../report/format.js';
import { repeatable, defaultOutDir, onInterrupt, emitComparison, emitReport, parseFormats, resolvePath } from './run-support.js';
import { parseIntOption } from './int-option.js';

export interface SeriesCliOptions {
  scenario: string;
  collectorConfig?: string;
  vary?: string;
  duration?: string;
  rate?: string;
  seed?: string;
  workers?: string;
  set: string[];
  gate: string[];
  out?: string;
  format: string;
  progress: boolean;
}

export function commonOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--scenario <file>', 'scenario YAML (its traffic is generated identically for every run)')
    .option('--duration <duration>', 'traffic duration (overrides traffic.duration)')
    .option('--rate <rate>', 'traces per second (overrides traffic.rate)')
    .option('--seed <n>', 'random seed')
    .option('--workers <n>', 'generator worker threads')
    .addOption(repeatable('--set <path=value>', 'override applied to every run (repeatable)'))
    .addOption(repeatable('--gate <expr>', 'gate expression applied to every run (repeatable)'))
    .option('--out <dir>', 'output directory (default reports/<scenario>-<kind>-<timestamp>/)')
    .option('--format <list>', 'formats: table,json,md,html,junit', 'table,json,md,html')
    .option('--no-progress', 'no progress line');
}

export const registerCompare: CommandModule = (program: Command, ctx: CliContext, setExitCode) => {
  commonOptions(
    program
      .command('compare')
      .description('run identical traffic through several collector configs and compare retention, storage and drops side by side')
      .argument('<configs...>', 'collector config YAML files'),
  ).action(async (configs: string[], opts: SeriesCliOptions) => {
    setExitCode(await seriesCommand(ctx, 'compare', opts, (common) => compare({ ...common, collectorConfigPaths: configs.map((c) => resolvePath(ctx, c)), labels: configs })));
  });
};

export async function seriesCommand(
  ctx: CliContext,
  kind: 'compare' | 'sweep',
  opts: SeriesCliOptions,
  start: (common: CompareCommonOptions) => Promise<ComparisonResult>,
): Promise<ExitCode> {
  const formats = parseFormats(opts.format);
  const controller = new AbortController();
  const unsubscribe = onInterrupt(ctx, () => controller.abort());
  let label = '';
  const progress = createProgressLine(ctx.stderr, opts.progress);
  try {
    const seed = opts.seed === undefined ? undefined : parseIntOption('--seed', opts.seed, Number.MIN_SAFE_INTEGER);
    const workers = opts.workers === undefined ? undefined : parseIntOption('--workers', opts.workers, 0);
    const scenarioPath = resolvePath(ctx, opts.scenario);
    const result = await start({
      scenarioPath,
      ...(opts.duration !== undefined ? { duration: opts.duration } : {}),
      ...(opts.rate !== undefined ? { rate: opts.rate } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(workers !== undefined ? { workers } : {}),
      set: opts.set,
      gates: opts.gate,
      env: ctx.env,
      signal: controller.signal,
      onRunStart: (i, total, l) => {
        label = `[${i + 1}/${total} ${l.length > 30 ? `…${l.slice(-29)}` : l}]`;
      },
      onProgress: (e) => progress.update({ ...e }, label),
    });
    progress.clear();
    const name = result.results[0]?.report.scenario.name ?? basename(scenarioPath, extname(scenarioPath));
    const outDir = opts.out !== undefined ? resolvePath(ctx, opts.out) : defaultOutDir(ctx, `${name}-${kind}`);
    const runFormats = formats.filter((f) => f !== 'table');
    for (let i = 0; i < result.results.length; i++) {
      const r = result.results[i]!;
      const dir = join(outDir, `${i + 1}-${slug(result.comparison.labels[i]!)}`);
      await emitReport(silent(ctx), r.report, runFormats, dir, r.outcome.warnings);
    }
    await emitComparison(ctx, result.comparison, formats, outDir);
    if (result.interrupted) {
      const { labels, notRun = [] } = result.comparison;
      const during = result.results.length > 0 && result.results.at(-1)!.report.interrupted ? `during run ${result.results.length} of ${labels.length + notRun.length} (${labels.at(-1)})` : `after ${result.results.length} of ${labels.length + notRun.length} runs`;
      ctx.stderr.write(`interrupted ${during}${notRun.length > 0 ? `; not run: ${notRun.join(', ')}` : ''}\n`);
      return ExitCode.RUN_FAILED;
    }
    const codes = result.results.map((r) => reportExitCode(r.report));
    for (const code of [ExitCode.RUN_FAILED, ExitCode.RUN_INVALID, ExitCode.GATE_FAILED] as const) if (codes.includes(code)) return code;
    return ExitCode.OK;
  } finally {
    progress.clear();
    unsubscribe();
  }
}

/** Per-run output goes to files only; the comparison table is what the console shows. */
function silent(ctx: CliContext): CliContext {
  return { ...ctx, stdout: { write: () => {}, isTTY: false }, stderr: { write: () => {}, isTTY: false } };
}

function slug(label: string): string {
  return labelStem(label).replace(/[^a-zA-Z0-9._-]+/g, '-').slice(0, 60) || 'run';
}
