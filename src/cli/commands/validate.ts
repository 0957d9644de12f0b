/**
 * `tracesim validate FILE...` — checks collector configs and scenarios before anything runs.
 *
 * A file's kind comes from its top-level keys: `receivers` / `service` ⇒ collector config,
 * `services` / `traffic` ⇒ scenario. For each file it prints `ok` or every problem with its key
 * path; for a collector config what is not simulated, warnings (unset `${env:…}`) and ordering
 * advisories; for a scenario its derived load and, when it names a `collector:` config, that
 * config's checks plus the buffer-sizing advisories at the scenario's peak rate.
 * Exit 0 when every file is valid, 2 when any is not (all files are still checked).
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command.js';
import type { CliContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { ProbabilisticSamplerConfig } from '../../components/processors/probabilistic-sampler/config.js';
import type { TailSamplingConfig } from '../../components/processors/tail-sampling/config.js';
import { loadCollectorConfig, type CollectorConfigResult } from '../../pipeline/config-loader.js';
import { adviseAll, type SamplingStage, type TailSamplingSummary } from '../../report/advisories.js';
import { deriveLoad, formatDerivedLoad } from '../../scenario/derive.js';
import { loadScenarioFile, parseYaml } from '../../scenario/load.js';
import { InputError } from '../../shared/errors.js';
import { checkDownstream } from '../../engine/downstream.js';

export type FileKind = 'collector' | 'scenario';

/** Detects the kind of a parsed YAML document from its top-level keys. */
export function detectKind(raw: unknown): FileKind | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const keys = Object.keys(raw);
  if (keys.includes('receivers') || keys.includes('service')) return 'collector';
  if (keys.includes('services') || keys.includes('traffic')) return 'scenario';
  return undefined;
}

function readText(path: string, display: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file: display, cause: err });
  }
}

function readKind(text: string, path: string): FileKind {
  const kind = detectKind(parseYaml(text, path));
  if (!kind) {
    throw new InputError('cannot tell what this file is', {
      file: path,
      problems: [{ path: '', message: 'expected a collector config (top-level receivers/service) or a scenario (top-level services/traffic)' }],
    });
  }
  return kind;
}

/**
 * The advisory input the config alone supports, plus what a scenario gives: the traffic rate and
 * the longest SDK export delay (late spans), as a run computes them.
 */
function configAdvisories(result: CollectorConfigResult, load: ScenarioLoad | undefined): { code: string; message: string }[] {
  const cfg = result.config;
  const pipelines = cfg.pipelines.map((p) => ({ name: p.id, processors: p.processors.map((id) => ({ id, type: cfg.processors.get(id)?.type ?? id.split('/')[0]! })) }));
  const samplingStages: SamplingStage[] = [];
  const tailSampling: TailSamplingSummary[] = [];
  for (const [id, spec] of cfg.processors) {
    if (spec.simulation !== 'simulated') continue;
    if (spec.type === 'probabilistic_sampler') {
      const pc = spec.config as ProbabilisticSamplerConfig;
      if (pc.mode === 'hash_seed') samplingStages.push({ component: id, kind: 'probabilistic_sampler', salt: String(pc.hashSeed) });
    } else if (spec.type === 'tail_sampling') {
      const tc = spec.config as TailSamplingConfig;
      for (const p of tc.policies) if (p.type === 'probabilistic') samplingStages.push({ component: id, policy: p.name, kind: 'tail_probabilistic', salt: p.probabilistic.hashSalt });
      if (load !== undefined) tailSampling.push({ id, numTraces: tc.numTraces, decisionWaitMs: tc.decisionWaitMs, newTracesPerSecond: load.newTracesPerSecond });
    }
  }
  const sdk = load === undefined ? {} : { sdk: { scheduledDelayMs: load.sdkScheduledDelayMs } };
  return adviseAll({ pipelines, tailSampling, samplingStages, rateGates: [], ...sdk });
}

interface ScenarioLoad {
  /** Peak traces/s reaching one collector replica. */
  newTracesPerSecond: number;
  /** The longest `sdk.scheduled_delay` of the scenario's services. */
  sdkScheduledDelayMs: number;
}

function printCollector(ctx: CliContext, file: string, result: CollectorConfigResult, load?: ScenarioLoad): void {
  const n = result.config.pipelines.length;
  ctx.stdout.write(`${file}: ok — collector config, ${n} traces pipeline${n === 1 ? '' : 's'} (${result.config.pipelines.map((p) => p.id).join(', ')})\n`);
  if (result.notSimulated.length > 0) {
    ctx.stdout.write('  not simulated:\n');
    for (const ns of result.notSimulated) ctx.stdout.write(`    - ${ns.component}: ${ns.reason}\n`);
  }
  for (const w of result.warnings) ctx.stdout.write(`  warning: ${w}\n`);
  for (const a of configAdvisories(result, load)) ctx.stdout.write(`  advisory ${a.code}: ${a.message}\n`);
}

function validateFile(ctx: CliContext, path: string, display: string): void {
  const text = readText(path, display);
  const kind = readKind(text, display);
  if (kind === 'collector') {
    printCollector(ctx, display, loadCollectorConfig(text, display, ctx.env));
    return;
  }
  const { scenario } = loadScenarioFile(path);
  // The scenario's collector config is read (and the downstream checked against it) before the
  // scenario is called ok: a problem in the pair is the scenario's.
  const shown = `${display} → collector ${scenario.collector}`;
  let collector: CollectorConfigResult | undefined;
  if (scenario.collector !== undefined) {
    const collectorPath = isAbsolute(scenario.collector) ? scenario.collector : resolve(dirname(path), scenario.collector);
    collector = loadCollectorConfig(readText(collectorPath, shown), shown, ctx.env, { compat: scenario.compat });
    checkDownstream(scenario.downstream, collector, display);
  }
  const derived = deriveLoad(scenario);
  ctx.stdout.write(`${display}: ok — scenario ${scenario.name}\n`);
  ctx.stdout.write(`${formatDerivedLoad(derived).replace(/^/gm, '  ').trimEnd()}\n`);
  if (collector) {
    const load = {
      newTracesPerSecond: derived.peakTracesPerSecond / scenario.collector_replicas,
      sdkScheduledDelayMs: Math.max(...scenario.services.map((s) => s.sdk.scheduled_delay)),
    };
    printCollector(ctx, shown, collector, load);
  }
}

export const validateCommand: CommandModule = (program: Command, ctx: CliContext, setExitCode) => {
  program
    .command('validate')
    .description('check collector configs and scenarios; list what is not simulated and advisories')
    .argument('<files...>', 'collector config or scenario YAML files')
    .action(async (files: string[]) => {
      let failed = false;
      for (const file of files) {
        const path = isAbsolute(file) ? file : resolve(ctx.cwd, file);
        try {
          validateFile(ctx, path, file);
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          failed = true;
          ctx.stderr.write(`error: ${err.message}\n`);
        }
      }
      setExitCode(failed ? ExitCode.INVALID_INPUT : ExitCode.OK);
    });
};
