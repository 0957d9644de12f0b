/**
 * Number formatting for the HTML report: tick labels (all ticks of an axis share one prefix and
 * one number of decimals, chosen from the tick step) and single values in tables and headers.
 */

/**
 * What a number measures; decides its formatting.
 * - `count`: items (spans, traces), SI prefixes k/M/G.
 * - `perSecond`: a rate per second, SI prefixes.
 * - `bytes`: decimal SI bytes (B, KB, MB, GB, TB, PB), as `formatBytes` in shared/units.
 * - `fraction`: a ratio in [0, 1], shown as a percentage.
 * - `ms`: milliseconds.
 * - `seconds`: seconds, as a plain number.
 */
export type ValueUnit = 'count' | 'perSecond' | 'bytes' | 'fraction' | 'ms' | 'seconds';

const SI = ['', 'k', 'M', 'G', 'T', 'P'];
const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Index of the 1000-power prefix for magnitude `m` (0 for m < 1000). */
function prefixIndex(m: number): number {
  let i = 0;
  while (m >= 1000 && i < SI.length - 1) {
    m /= 1000;
    i++;
  }
  return i;
}

/** Decimals needed to show multiples of `step` exactly, at most 4. */
function decimalsFor(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  return Math.min(4, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
}

function withPrefix(v: number, magnitude: number, step: number, units: readonly string[], sep: string): string {
  const i = prefixIndex(Math.abs(magnitude));
  const div = 1000 ** i;
  return `${(v / div).toFixed(decimalsFor(step / div))}${sep}${units[i]}`;
}

/**
 * Returns a formatter for the ticks of one axis. `maxAbs` is the largest |tick| and `step` the
 * distance between ticks: the prefix comes from `maxAbs`, the decimals from `step`, so labels
 * like `0`, `0.5 GB`, `1.0 GB` line up.
 */
export function tickFormatter(unit: ValueUnit, maxAbs: number, step: number): (v: number) => string {
  switch (unit) {
    case 'fraction':
      return (v) => `${(v * 100).toFixed(decimalsFor(step * 100))}%`;
    case 'bytes':
      return (v) => (v === 0 ? '0' : withPrefix(v, maxAbs, step, BYTE_UNITS, ' '));
    case 'count':
    case 'perSecond':
      return (v) => (v === 0 ? '0' : withPrefix(v, maxAbs, step, SI, ''));
    case 'ms':
      return (v) => `${v.toFixed(decimalsFor(step))} ms`;
    case 'seconds':
      return (v) => v.toFixed(decimalsFor(step));
  }
}

/** The unit as an axis-title suffix: ` (%)`, ` (bytes)`, ` (ms)`, ` (per second)`, or nothing. */
export function unitSuffix(unit: ValueUnit): string {
  switch (unit) {
    case 'fraction':
      return ' (%)';
    case 'bytes':
      return ' (bytes)';
    case 'ms':
      return ' (ms)';
    case 'perSecond':
      return ' (per second)';
    case 'seconds':
      return ' (s)';
    case 'count':
      return '';
  }
}

/** Formats one value for tables and labels, with three significant digits. */
export function formatValue(v: number | null | undefined, unit: ValueUnit): string {
  if (v == null || !Number.isFinite(v)) return 'n/a';
  switch (unit) {
    case 'fraction':
      return formatPercent(v);
    case 'bytes':
      return sig3(v, BYTE_UNITS, ' ');
    case 'count':
      return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2);
    case 'perSecond':
      return `${sig3(v, SI, '')}/s`;
    case 'ms':
      return `${v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2)} ms`;
    case 'seconds':
      return `${Number.isInteger(v) ? v : v.toFixed(1)} s`;
  }
}

/** `v` with a 1000-power prefix and three significant digits (integers below 1000 stay whole). */
function sig3(v: number, units: readonly string[], sep: string): string {
  const i = prefixIndex(Math.abs(v));
  const scaled = v / 1000 ** i;
  const a = Math.abs(scaled);
  const decimals = i === 0 && Number.isInteger(v) ? 0 : a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return `${scaled.toFixed(decimals)}${sep}${units[i]}`;
}

/**
 * A fraction as a percentage with enough decimals to be informative near the ends: 0.999 →
 * `99.9%`, 0.12345 → `12.3%`, 0.00042 → `0.042%`.
 */
export function formatPercent(v: number): string {
  const p = v * 100;
  if (p === 0 || p === 100) return `${p}%`;
  const distance = Math.min(Math.abs(p), Math.abs(100 - p));
  const decimals = distance >= 10 ? 1 : distance >= 1 ? 2 : Math.min(4, 1 - Math.floor(Math.log10(distance)));
  // Zeros after the first decimal carry no information (99.90 % → 99.9 %); 12.0 % keeps its one.
  return `${p.toFixed(decimals).replace(/(\.\d\d*?)0+$/, '$1')}%`;
}
