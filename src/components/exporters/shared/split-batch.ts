/**
 * Attribution of an OTLP partial success. The backend reports only a count (`rejected_spans`),
 * never which spans; the ledger needs spans, so tracesim attributes the rejection to the LAST
 * `n` spans of the request in encoding order. Counts are exact; the choice of spans is a
 * convention (it matters only for per-service or per-trace breakdowns of the loss).
 */
import type { AccountedBatch } from '../../../pipeline/accounting.js';
import type { ResourceSpans } from '../../../protocol/otlp/model.js';

/** Splits `batch` into its first `total − n` spans and its last `n`; both keep its `shadow` mark. */
export function splitLastSpans(batch: AccountedBatch, n: number): { kept: AccountedBatch; rejected: AccountedBatch } {
  let total = 0;
  for (const rs of batch.resourceSpans) for (const ss of rs.scopeSpans) total += ss.spans.length;
  let keep = Math.max(0, total - Math.max(0, Math.floor(n)));
  const kept: ResourceSpans[] = [];
  const rejected: ResourceSpans[] = [];
  for (const rs of batch.resourceSpans) {
    const keptScopes: ResourceSpans['scopeSpans'] = [];
    const rejectedScopes: ResourceSpans['scopeSpans'] = [];
    for (const ss of rs.scopeSpans) {
      const take = Math.min(keep, ss.spans.length);
      keep -= take;
      if (take > 0) keptScopes.push({ ...ss, spans: ss.spans.slice(0, take) });
      if (take < ss.spans.length) rejectedScopes.push({ ...ss, spans: ss.spans.slice(take) });
    }
    if (keptScopes.length > 0) kept.push({ ...rs, scopeSpans: keptScopes });
    if (rejectedScopes.length > 0) rejected.push({ ...rs, scopeSpans: rejectedScopes });
  }
  const mark = batch.shadow ? { shadow: true } : {};
  return { kept: { resourceSpans: kept, ...mark }, rejected: { resourceSpans: rejected, ...mark } };
}
