/**
 * tracesim's programmatic API. The CLI is a thin adapter over these functions: what
 * `tracesim run` prints and writes comes from the `RunResult` that `run()` resolves to.
 *
 * ```ts
 * import { run } from 'tracesim';
 * const { report } = await run({
 *   scenarioPath: 'scenarios/checkout.yaml',
 *   set: ['collector.processors.tail_sampling.policies[name=sampling-policy].probabilistic.sampling_percentage=5'],
 *   gates: ['retention.byClass.error >= 0.999'],
 *   onProgress: (e) => progressBar.update(e.elapsedMs / e.plannedMs),
 * });
 * const { traces } = report.retention; // fraction of traces kept
 * const perDay = report.storage.diskBytesPerDay;
 * ```
 *
 * No side effects on import; nothing here writes to the console or exits the process. Errors the
 * user can fix are thrown as `InputError`.
 */
export { run, defaultWorkers, SIM_EPOCH_MS, type RunOptions, type RunResult } from './engine/run.js';
export { replay, type ReplayOptions, type ReplayResult } from './engine/replay-run.js';
export { sendLoad, type LoadOptions, type LoadResult } from './engine/load-only.js';
export { compare, sweep, bestIndex, type CompareCommonOptions, type ComparisonResult } from './engine/compare.js';
export type { ProgressEvent, ProgressListener, EngineOutcome, LiveOutcome, ReplicaOutcome, SpanLatencyMs } from './engine/types.js';
export type { LiveProtocol } from './engine/live-protocol.js';
export { applyOverrides, parseSetArgument, parseVaryArgument, parsePath, type Override } from './engine/overrides.js';
export type { Report, ComparisonReport, TimeSeries } from './report/model.js';
export { reportExitCode } from './report/build.js';
export { InputError } from './shared/errors.js';
