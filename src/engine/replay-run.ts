/**
 * `replay(options)`: recorded spans (read by recorded-files.ts, timed by replay.ts) through one collector config in virtual time,
 * to a report (mode `replay`). The CLI's `tracesim replay` is a thin adapter over this.
 */
import type { CompatProfile } from '../pipeline/component.js';
import { parseGates } from '../report/gates.js';
import type { Report } from '../report/model.js';
import { checkPolicyGates, loadCollectorInput } from './inputs.js';
import { parseSetArgument, splitOverrides } from './overrides.js';
import { readRecordedBatches } from './recorded-files.js';
import { headerBytesPerSpan } from './bytes-tap.js';
import { iterate, recordedTraffic, replayName } from './replay.js';
import { buildSubjectReport } from './report-input.js';
import { runSimulation } from './sim-runner.js';
import type { EngineOutcome, ProgressListener } from './types.js';
import { InputError } from '../shared/errors.js';

export interface ReplayOptions {
  files: readonly string[];
  collectorConfigPath: string;
  /** Time from a span's end to its arrival at the collector (the SDK export delay); default 5 s. */
  arrivalDelayMs?: number;
  /** Traces at least this long are `slow` (unless `error`); default 1 s. */
  slowThresholdMs?: number;
  /** `collector.`-prefixed `--set` overrides. */
  set?: readonly string[];
  gates?: readonly string[];
  compat?: CompatProfile;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ReplayResult {
  report: Report;
  outcome: EngineOutcome;
}

export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  if (options.files.length === 0) throw new InputError('replay needs at least one file of recorded spans');
  const overrides = (options.set ?? []).map(parseSetArgument);
  const { scenario: scenarioOverrides, collector: collectorOverrides } = splitOverrides(overrides);
  if (scenarioOverrides.length > 0) {
    throw new InputError(`replay has no scenario: --set paths must start with collector. (got ${scenarioOverrides.map((o) => o.path).join(', ')})`);
  }
  const gates = parseGates(options.gates ?? []);
  const compat = options.compat ?? 'current';
  const collector = loadCollectorInput(options.collectorConfigPath, collectorOverrides, options.env ?? {}, compat);
  checkPolicyGates(gates, collector.collector, options.collectorConfigPath);
  const { batches, hash } = readRecordedBatches(options.files);
  const traffic = namingFiles(options.files, () =>
    recordedTraffic(batches, { arrivalDelayMs: options.arrivalDelayMs ?? 5000, slowThresholdMs: options.slowThresholdMs ?? 1000, hash }),
  );
  const outcome = await runSimulation({
    mode: 'replay',
    collector: collector.collector,
    compat,
    replicas: 1,
    seed: 0,
    startUnixMs: traffic.startUnixMs,
    plannedMs: traffic.spanMs,
    events: iterate(traffic.events),
    instanceServices: traffic.instanceServices,
    // resource and scope amortised as in the recorded requests, not per replayed arrival
    headerBytesPerSpan: headerBytesPerSpan(batches),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const report = buildSubjectReport(
    {
      scenario: { name: replayName(options.files), seed: 0, hash },
      collectorPath: options.collectorConfigPath,
      collectorHash: collector.hash,
      collector: collector.collector,
      compat,
      collectorYaml: collector.yaml,
    },
    outcome,
    gates,
  );
  return { report, outcome };
}

/** A problem with the recording as a whole (its time window) names the files it came from. */
function namingFiles<T>(files: readonly string[], read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof InputError) || err.file !== undefined) throw err;
    throw new InputError(err.headline, { file: files.join(', '), problems: err.problems, cause: err.cause });
  }
}
