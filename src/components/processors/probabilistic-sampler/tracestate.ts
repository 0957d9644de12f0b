/**
 * The W3C `tracestate` header and its OpenTelemetry `ot` entry (`ot=rv:…;th:…;other:…`).
 * Parsing is strict enough to detect what the sampler must treat as an error; serialisation puts
 * the `ot` entry first (a modified entry moves to the front, W3C) and `rv`, `th` first inside it.
 */
export interface ParsedTraceState {
  /** `ot` sub-keys other than rv/th, in order, as `key:value`. */
  readonly otExtra: string[];
  readonly rv: string | undefined;
  readonly th: string | undefined;
  /** Other vendors' `key=value` entries, in order. */
  readonly others: string[];
}

/** undefined when the header or its `ot` value is malformed. */
export function parseTraceState(header: string): ParsedTraceState | undefined {
  const out = { otExtra: [] as string[], rv: undefined as string | undefined, th: undefined as string | undefined, others: [] as string[] };
  if (header.trim() === '') return out;
  let sawOt = false;
  for (const raw of header.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) return undefined;
    const key = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (key !== 'ot') {
      out.others.push(entry);
      continue;
    }
    if (sawOt) return undefined;
    sawOt = true;
    for (const part of value.split(';')) {
      const colon = part.indexOf(':');
      if (colon <= 0) return undefined;
      const k = part.slice(0, colon);
      const v = part.slice(colon + 1);
      if (k === 'rv') out.rv = v;
      else if (k === 'th') out.th = v;
      else out.otExtra.push(part);
    }
  }
  return out;
}

/** The header with `ot` rebuilt from `rv`/`th` (either may be absent) and the other entries kept. */
export function serializeTraceState(ts: ParsedTraceState, rv: string | undefined, th: string | undefined): string {
  const ot = [...(rv === undefined ? [] : [`rv:${rv}`]), ...(th === undefined ? [] : [`th:${th}`]), ...ts.otExtra];
  return [...(ot.length > 0 ? [`ot=${ot.join(';')}`] : []), ...ts.others].join(',');
}
