/**
 * Reads the bound of a gate expression (`retention.traces <= 0.2`, `storage.diskBytesPerDay <
 * 500GB`) so compare and sweep charts can draw it as a line. Only the shape the charts need:
 * `<report path> <op> <number>[unit]`; anything else yields null and the gate is listed but not
 * drawn. Pass/fail itself comes from `report.gates[].pass`, never from here.
 */
import { parseBytes, parseDurationMs } from '../../shared/units.js';

export type GateOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface GateBound {
  /** Dotted report path, e.g. `retention.byClass.error`. */
  path: string;
  op: GateOp;
  /** The bound in the path's own unit: bytes for `*Bytes*` paths, ms for `*Ms*` paths, fractions for `%`. */
  value: number;
}

const GATE = /^\s*([A-Za-z_][\w.]*)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/;

export function parseGateBound(expression: string): GateBound | null {
  const m = GATE.exec(expression);
  if (!m) return null;
  const value = parseBound(m[3]!, m[1]!);
  return value === undefined ? null : { path: m[1]!, op: m[2] as GateOp, value };
}

/** `0.2`, `99.9%` (→ 0.999), `500GB` (→ bytes), `50ms` / `2s` (→ ms for `*Ms*` paths). */
function parseBound(text: string, path: string): number | undefined {
  if (/^[+-]?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return Number(text);
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  // toPrecision drops the binary noise of the division (99.9 / 100 = 0.9990000000000001).
  if (percent) return Number((Number(percent[1]) / 100).toPrecision(12));
  if (/Ms(\.|$)/.test(path)) return parseDurationMs(text);
  return parseBytes(text);
}
