/**
 * Parsing of the human units used in scenario and collector files, done once at the edge.
 * Pure; safe to import from worker threads.
 */

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Go `time.ParseDuration` syntax (`300ms`, `1.5s`, `1m30s`, `-2h`), as the collector accepts, plus
 * `d` for days. A bare `0` is zero. Returns milliseconds, or `undefined` when the text is not a
 * duration.
 */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h|d))+$/.exec(s);
  if (!m) return undefined;
  let total = 0;
  for (const part of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/g)) {
    const unit = part[2]!;
    const perUnit = unit === 'd' ? 86_400_000 : DURATION_UNITS_MS[unit]!;
    total += Number(part[1]) * perUnit;
  }
  return m[1] === '-' ? -total : total;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** `512`, `4MiB`, `500GB`, `1.5 TB` → bytes (decimal SI units, binary *iB units). */
export function parseBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = SIZE_UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

const RATE_PERIODS_S: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 };

/** `500/s`, `30000/min`, `2.5/s`, a bare number (per second) → events per second. */
export function parseRatePerSecond(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([a-z]+))?\s*$/.exec(text);
  if (!m) return undefined;
  if (m[2] === undefined) return Number(m[1]);
  const period = RATE_PERIODS_S[m[2]];
  return period === undefined ? undefined : Number(m[1]) / period;
}

/** Formats bytes with a binary-free SI unit for reports: `1.23 GB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

/** Formats milliseconds as a short duration: `250ms`, `12.5s`, `3m20s`. */
export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, '')}s`;
  // whole seconds first, so 59.5 s past a minute rounds up into the next minute (not "1m60s")
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return s === 0 ? `${m}m` : `${m}m${s}s`;
}
