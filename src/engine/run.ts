/**
 * `run(options)`: one scenario through the bundled collector, in sim or live mode, to a report.
 * The CLI's `tracesim run` is a thin adapter over this (as autocannon's CLI is over its `run`).
 *
 *   loadRunInputs (scenario + --set/--rate/--duration/--seed, collector config, gates)
 *     ─► traffic source (generator workers)
 *     ─► sim: runSimulation (virtual clock) │ live: runLive (wall clock, real OTLP)
 *     ─► buildRunReport (ledger, storage, gates, advisories) ─► RunResult
 *
 * Every user-fixable problem (files, YAML, schema, override paths, gate expressions) is thrown as
 * an `InputError` before any traffic is generated.
 */
import { availableParallelism } from 'node:os';
import { createTrafficSource } from '../generator/traffic.js';
import type { Report } from '../report/model.js';
import { parseGates } from '../report/gates.js';
import { checkRunSize } from './run-size.js';
import { checkPolicyGates, loadRunInputs, TARGET_ONLY_COLLECTOR, type InputOptions, type RunInputs } from './inputs.js';
import { buildRunReport } from './report-input.js';
import { runSimulation } from './sim-runner.js';
import { downstreamModel } from './downstream.js';
import type { LiveProtocol } from './live-protocol.js';
import type { EngineOutcome, ProgressListener } from './types.js';

/**
 * The virtual start of every sim run (2026-01-01T00:00:00Z): a constant, so span timestamps, and
 * with them every report number, are the same on every run of a seed.
 */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 1);

export interface RunOptions extends InputOptions {
  mode?: 'sim' | 'live';
  /** Generator worker threads; default: available cores − 1 (at least 1). */
  workers?: number;
  /** Gate expressions added to the scenario's `gates:`. */
  gates?: readonly string[];
  /** live: an external OTLP endpoint (`grpc://host:port`, `http://host:port`) instead of the bundled collector. */
  target?: string;
  /** live: OTLP transport to the bundled collector; default grpc. */
  protocol?: LiveProtocol;
  /** live: the run is invalid when the schedule-lag p99 exceeds this; default 50 ms. */
  maxLagP99Ms?: number;
  /** Aborting stops the run early; the report is still built and marked interrupted. */
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /**
   * A gate on a tail_sampling policy the collector config lacks: `refuse` (default) is bad input
   * before the run; `fail` lets the run happen and the gate fail for want of data (compare and
   * sweep, where the policy belongs to another config of the series).
   */
  missingPolicyGates?: 'refuse' | 'fail';
}

export interface RunResult {
  report: Report;
  outcome: EngineOutcome;
  inputs: RunInputs;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

export async function run(options: RunOptions): Promise<RunResult> {
  // With --target the pipeline is remote: the scenario's own collector config is not what runs, so
  // its advisories and policies would describe the wrong thing.
  const inputs = loadRunInputs(
    options.target !== undefined ? { ...options, collectorFallback: TARGET_ONLY_COLLECTOR, ignoreScenarioCollector: true } : options,
  );
  const gates = parseGates([...inputs.scenario.gates, ...(options.gates ?? [])]);
  if (options.missingPolicyGates !== 'fail') checkPolicyGates(gates, inputs.collector, inputs.collectorPath);
  checkRunSize(inputs.scenario, inputs.scenarioPath);
  const workers = options.workers ?? defaultWorkers();
  const mode = options.mode ?? 'sim';
  let outcome: EngineOutcome;
  if (mode === 'sim') {
    const source = createTrafficSource(inputs.scenario, { workers, startUnixMs: SIM_EPOCH_MS });
    try {
      outcome = await runSimulation({
        mode: 'sim',
        collector: inputs.collector,
        compat: inputs.compat,
        replicas: inputs.scenario.collector_replicas,
        seed: inputs.scenario.seed,
        startUnixMs: SIM_EPOCH_MS,
        plannedMs: inputs.scenario.traffic.duration,
        events: source,
        sdkFeedback: source,
        ...(inputs.scenario.downstream ? { downstream: downstreamModel(inputs.scenario.downstream, SIM_EPOCH_MS) } : {}),
        instanceServices: source.instances.map((i) => i.service),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } finally {
      await source.close();
    }
  } else {
    // Loaded here, not at the top: sim runs (the common case) skip the live engine's modules.
    const { runLive } = await import('./live-runner.js');
    outcome = await runLive({
      scenario: inputs.scenario,
      collector: { result: inputs.collector, yaml: inputs.collectorYaml, path: inputs.collectorPath },
      ...(options.env ? { env: options.env } : {}),
      compat: inputs.compat,
      workers,
      ...(options.target !== undefined ? { target: options.target } : {}),
      ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
      maxLagP99Ms: options.maxLagP99Ms ?? 50,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  const report = buildRunReport(inputs, outcome, gates);
  return { report, outcome, inputs };
}
