/**
 * Splitting and merging span batches along the OTLP tree without copying spans: a head of exactly
 * `n` spans and the rest, each keeping its resource and scope (shared by reference — both halves
 * are owned by the batch processor, which does not mutate them).
 */
import type { TraceBatch } from '../../../protocol/otlp/model.js';

/** The first `n` spans of `batch` (in encoding order) and the rest. Requires 0 < n < spanCount. */
export function splitSpans(batch: TraceBatch, n: number): { head: TraceBatch; rest: TraceBatch } {
  const head: TraceBatch = { resourceSpans: [] };
  const rest: TraceBatch = { resourceSpans: [] };
  let left = n;
  for (const rs of batch.resourceSpans) {
    if (left === 0) {
      rest.resourceSpans.push(rs);
      continue;
    }
    const headScopes = [];
    const restScopes = [];
    for (const ss of rs.scopeSpans) {
      if (left === 0) restScopes.push(ss);
      else if (ss.spans.length <= left) {
        headScopes.push(ss);
        left -= ss.spans.length;
      } else {
        headScopes.push({ ...ss, spans: ss.spans.slice(0, left) });
        restScopes.push({ ...ss, spans: ss.spans.slice(left) });
        left = 0;
      }
    }
    if (headScopes.length > 0) head.resourceSpans.push({ ...rs, scopeSpans: headScopes });
    if (restScopes.length > 0) rest.resourceSpans.push({ ...rs, scopeSpans: restScopes });
  }
  return { head, rest };
}

/** One batch holding every resource of `parts`, in order (resources are not de-duplicated, as upstream). */
export function mergeBatches(parts: readonly TraceBatch[]): TraceBatch {
  if (parts.length === 1) return parts[0]!;
  return { resourceSpans: parts.flatMap((p) => p.resourceSpans) };
}
