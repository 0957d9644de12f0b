/**
 * The `failover` connector between traces pipelines (collector-contrib `connector/failoverconnector`):
 * spans go to the pipelines of the first priority level. tracesim's downstream pipelines do not
 * fail the way the connector watches for (their exporters queue, retry and account losses
 * themselves), so the connector never moves to a lower level here; that switch is listed as not
 * simulated. The graph realises it as a `forward` connector limited to the first level.
 */
import { isYamlMap } from '../../../shared/schema.js';
import { receivingPipelines, type ConnectorProblem } from '../pipelines.js';

const KEYS = new Set(['priority_levels', 'retry_interval', 'retry_gap', 'max_retries']);

/**
 * Reads `priority_levels` (a non-empty list of non-empty lists of traces pipelines receiving from
 * the connector, `receiving`) and returns the first level's pipelines, with upstream's checks.
 */
export function parseFailoverConfig(raw: unknown, receiving: ReadonlySet<string>): { firstLevel: string[]; problems: ConnectorProblem[] } {
  const problems: ConnectorProblem[] = [];
  const body = isYamlMap(raw) ? raw : {};
  for (const key of Object.keys(body)) if (!KEYS.has(key)) problems.push({ path: key, message: 'unknown key' });
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
