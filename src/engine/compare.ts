/**
 * `compare` (the same traffic through several collector configs) and `sweep` (one config, one
 * key varied over values), built on `run()`.
 *
 * Identical traffic: every run regenerates the scenario's traces from the same seed, which the
 * generator makes a pure function of (scenario, seed) whatever the worker count — so each config
 * sees byte-identical spans without holding the whole stream in memory. Their export times are
 * identical too unless a config refuses exports: then the SDKs hold their spans while retrying,
 * as they would in front of that collector (the pipeline owns and edits the batches it is handed, so one materialised copy could
 * not be shared anyway). Cost: generation runs once per config.
 *
 * All inputs (every config, every swept value) are loaded and validated before the first run, so
 * a typo in the last config fails in milliseconds, not after N−1 runs.
 */
import { REPORT_SCHEMA_VERSION, type ComparisonReport, type Report } from '../report/model.js';
import { parseGates } from '../report/gates.js';
import { InputError } from '../shared/errors.js';
import { checkSeriesPolicyGates, loadRunInputs } from './inputs.js';
import { parseSetArgument, parseVaryArgument, type Override } from './overrides.js';
import { run, type RunOptions, type RunResult } from './run.js';

export type CompareCommonOptions = Omit<RunOptions, 'collectorConfigPath' | 'mode' | 'target' | 'protocol' | 'maxLagP99Ms' | 'onProgress'> & {
  /** Progress of run `index` (0-based) of `total`. */
  onRunStart?: (index: number, total: number, label: string) => void;
  onProgress?: RunOptions['onProgress'];
};

export interface ComparisonResult {
  comparison: ComparisonReport;
  results: RunResult[];
  /** True when SIGINT stopped the series (the reports cover the runs finished so far). */
  interrupted: boolean;
}

export async function compare(options: CompareCommonOptions & { collectorConfigPaths: readonly string[]; labels?: readonly string[] }): Promise<ComparisonResult> {
  if (options.collectorConfigPaths.length < 1) throw new InputError('compare needs at least one collector config');
  // Validate everything first.
  checkSeriesInputs(options.collectorConfigPaths.map((path) => ({ ...options, collectorConfigPath: path })), options.gates);
  const labels = options.collectorConfigPaths.map((p, i) => options.labels?.[i] ?? p);
  return series('compare', undefined, labels, options, (i) => ({ ...options, collectorConfigPath: options.collectorConfigPaths[i]! }));
}

export async function sweep(options: CompareCommonOptions & { collectorConfigPath?: string; vary: string }): Promise<ComparisonResult> {
  const vary = parseVaryArgument(options.vary);
  const baseSet = (options.set ?? []).map((s) => (typeof s === 'string' ? parseSetArgument(s) : s));
  const runOptions = (override: Override): RunOptions => ({
    ...options,
    ...(options.collectorConfigPath !== undefined ? { collectorConfigPath: options.collectorConfigPath } : {}),
    set: [...baseSet, override],
  });
  checkSeriesInputs(vary.values.map((v) => runOptions(v.override)), options.gates);
  return series('sweep', vary.path, vary.values.map((v) => v.text), options, (i) => runOptions(vary.values[i]!.override));
}

/**
 * Every run's inputs, before any run: each must load, and a gate on a tail_sampling policy must
 * name a policy of at least one of the series' configs (a typo is bad input). A config without
 * that policy still runs; the gate fails there for want of data, so comparing tail with head
 * sampling under a per-policy gate is possible.
 */
function checkSeriesInputs(runs: readonly RunOptions[], gateTexts: readonly string[] | undefined): void {
  const loaded = runs.map((r) => loadRunInputs(r));
  checkSeriesPolicyGates(parseGates([...(loaded[0]?.scenario.gates ?? []), ...(gateTexts ?? [])]), loaded);
}

async function series(
  kind: 'compare' | 'sweep',
  variedPath: string | undefined,
  labels: string[],
  options: CompareCommonOptions,
  optionsFor: (i: number) => RunOptions,
): Promise<ComparisonResult> {
  const results: RunResult[] = [];
  let interrupted = false;
  for (let i = 0; i < labels.length; i++) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    options.onRunStart?.(i, labels.length, labels[i]!);
    const r = await run({ ...optionsFor(i), mode: 'sim', missingPolicyGates: 'fail' });
    results.push(r);
    if (r.report.interrupted) {
      interrupted = true;
      break;
    }
  }
  const runs = results.map((r) => r.report);
  const comparison: ComparisonReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind,
    ...(variedPath !== undefined ? { variedPath } : {}),
    labels: labels.slice(0, runs.length),
    runs,
    bestIndex: bestIndex(runs),
    ...(interrupted ? { notRun: labels.slice(runs.length) } : {}),
  };
  return { comparison, results, interrupted };
}

/**
 * The best run, or null when none meets every gate: among the complete runs (valid, balanced, not
 * interrupted) meeting every gate, those that drop the fewest spans (none, when any entry drops
 * none) — a cheaper run that loses more data is not a better config — then the lowest disk bytes
 * per day (ties: the first).
 */
export function bestIndex(runs: readonly Report[]): number | null {
  const eligible = runs.flatMap((r, i) => (r.interrupted || !r.valid || !r.ledger.balanced || r.gates.some((g) => !g.pass) ? [] : [i]));
  if (eligible.length === 0) return null;
  const fewestDropped = Math.min(...eligible.map((i) => runs[i]!.dropped.total));
  let best: number | null = null;
  for (const i of eligible) {
    if (runs[i]!.dropped.total !== fewestDropped) continue;
    if (best === null || runs[i]!.storage.diskBytesPerDay < runs[best]!.storage.diskBytesPerDay) best = i;
  }
  return best;
}
