/**
 * The `failover` connector between traces pipelines (collector-contrib `connector/failoverconnector`):
 * spans go to the pipelines of the first priority level. tracesim's downstream pipelines do not
 * fail the way the connector watches for (their exporters queue, retry and account losses
 * themselves), so the connector never moves to a lower level here; that switch is listed as not
 * simulated. The graph realises it as a `forward` connector limited to the first level.
 */
import { isYamlMap } from '../../../shared/schema.js';
import { parseDurationMs } from '../../../shared/units.js';
import { receivingPipelines, type ConnectorProblem } from '../pipelines.js';

/**
 * Upstream's keys across recent releases: `priority_levels`; `strategy` (only `standard`) with
 * `standard.retry_interval`; the deprecated top-level `retry_interval`, `retry_gap` and
 * `max_retries`; `sending_queue` (a queue in front of the levels); `condition` (which errors count
 * as a failure). Only `priority_levels` changes what tracesim simulates; the rest is checked as
 * upstream checks it (`Config.Validate`) and otherwise has no effect here.
 */
const KEYS = new Set(['priority_levels', 'strategy', 'standard', 'retry_interval', 'retry_gap', 'max_retries', 'sending_queue', 'condition']);
const STRATEGIES = new Set(['standard']);

/**
 * Reads `priority_levels` (a non-empty list of non-empty lists of traces pipelines receiving from
 * the connector, `receiving`) and returns the first level's pipelines, with upstream's checks.
 */
export function parseFailoverConfig(raw: unknown, receiving: ReadonlySet<string>): { firstLevel: string[]; problems: ConnectorProblem[] } {
  const problems: ConnectorProblem[] = [];
  const body = isYamlMap(raw) ? raw : {};
  for (const key of Object.keys(body)) if (!KEYS.has(key)) problems.push({ path: key, message: 'unknown key' });
  checkRetryInterval(body['retry_interval'], 'retry_interval', problems);
  const standard = body['standard'];
  if (isYamlMap(standard)) {
    for (const key of Object.keys(standard)) if (key !== 'retry_interval') problems.push({ path: `standard.${key}`, message: 'unknown key' });
    checkRetryInterval(standard['retry_interval'], 'standard.retry_interval', problems);
  } else if (standard !== undefined && standard !== null) problems.push({ path: 'standard', message: 'expected a map (retry_interval)' });
  const strategy = body['strategy'];
  if (strategy !== undefined && strategy !== null && !(typeof strategy === 'string' && STRATEGIES.has(strategy))) {
    problems.push({ path: 'strategy', message: `strategy is invalid: ${JSON.stringify(strategy)} (the only strategy is "standard")` });
  }
  for (const key of ['sending_queue', 'condition']) {
    const v = body[key];
    if (v !== undefined && v !== null && !isYamlMap(v)) problems.push({ path: key, message: 'expected a map' });
  }
  const levels = body['priority_levels'];
  if (!Array.isArray(levels) || levels.length === 0) {
    problems.push({ path: 'priority_levels', message: 'missing required field "priority_levels": give at least one list of pipelines' });
    return { firstLevel: [], problems };
  }
  const ids = levels.map((level, i) => {
    if (Array.isArray(level) && level.length === 0) {
      problems.push({ path: `priority_levels[${i}]`, message: 'expected a non-empty list of pipeline ids' });
      return [];
    }
    return receivingPipelines(level, `priority_levels[${i}]`, receiving, problems);
  });
  return { firstLevel: ids[0]!, problems };
}

/** A retry interval, when given, is a duration above 0 (upstream `errInvalidRetryIntervals`). */
function checkRetryInterval(value: unknown, path: string, problems: ConnectorProblem[]): void {
  if (value === undefined || value === null) return;
  // a bare number is nanoseconds, as the collector reads durations
  const ms = typeof value === 'number' ? value / 1e6 : typeof value === 'string' ? parseDurationMs(value) : undefined;
  if (ms === undefined || !Number.isFinite(ms)) problems.push({ path, message: `expected a duration such as 10m, got ${JSON.stringify(value)}` });
  else if (ms <= 0) problems.push({ path, message: `Retry interval must be positive (got ${JSON.stringify(value)})` });
}
