/**
 * What the traces-to-traces connectors (`routing`, `failover`) share when their config names
 * pipelines: a problem type relative to the connector's own key, and the check that each id is a
 * traces pipeline receiving from the connector (upstream's router refuses any other).
 */

export interface ConnectorProblem {
  /** Key path below the connector's own (`table[0].pipelines`); '' for the body itself. */
  readonly path: string;
  readonly message: string;
}

/** The ids of `value` at `path`, each a pipeline in `receiving`; a problem for anything else. */
export function receivingPipelines(value: unknown, path: string, receiving: ReadonlySet<string>, problems: ConnectorProblem[]): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push({ path, message: 'expected a list of pipeline ids' });
    return [];
  }
  const ids = value as string[];
  ids.forEach((id, i) => {
    if (!receiving.has(id)) problems.push({ path: `${path}[${i}]`, message: `pipeline "${id}" is not a traces pipeline receiving from this connector` });
  });
  return ids;
}
