/**
 * The progress line of `run`, `compare`, `sweep` and `replay`: one line rewritten in place with
 * `\r` on a TTY (stderr, so stdout stays clean for the summary), nothing when `--no-progress` or
 * when stderr is not a terminal. No dependency: a line is all it needs.
 *
 *   sim 1m12s/10m (12%) · 1,234,567 spans · 20.5k spans/s simulated · 1.1M spans/s wall · dropped 0
 */
import type { ProgressEvent } from '../engine/types.js';
import { layoutColumns, type OutputStream } from './context.js';

export interface ProgressLine {
  /** Shows `event`; `prefix` (e.g. `[2/3 b.yaml]`) replaces the line's label for this update. */
  update(event: ProgressEvent, prefix?: string): void;
  /** Erases the line (before the summary is printed). */
  clear(): void;
}

export function createProgressLine(stream: OutputStream, enabled: boolean, label = ''): ProgressLine {
  if (!enabled || !stream.isTTY) return { update() {}, clear() {} };
  let shown = false;
  return {
    update(event, prefix) {
      const text = formatProgress(event, prefix ?? label);
      const width = layoutColumns(stream, 120) - 1;
      stream.write(`\r${text.length > width ? text.slice(0, width) : text.padEnd(width)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write(`\r${' '.repeat(layoutColumns(stream, 120) - 1)}\r`);
      shown = false;
    },
  };
}

/** One progress line (pure, for tests). */
export function formatProgress(e: ProgressEvent, label = ''): string {
  const clockName = e.mode === 'live' ? 'wall' : 'simulated';
  const time = e.plannedMs > 0 ? `${formatClock(e.elapsedMs)}/${formatClock(e.plannedMs)} (${Math.min(100, Math.floor((100 * e.elapsedMs) / e.plannedMs))}%)` : formatClock(e.elapsedMs);
  const parts = [
    `${label ? `${label} ` : ''}${e.mode} ${time}${e.phase === 'draining' ? ' draining' : ''}`,
    `${e.spansGenerated.toLocaleString('en-US')} spans`,
    `${compact(e.spansPerSecond)} spans/s ${clockName}`,
  ];
  if (e.mode !== 'live') parts.push(`${compact(e.wallSpansPerSecond)} spans/s wall`);
  parts.push(`dropped ${e.spansDropped.toLocaleString('en-US')}`);
  return parts.join(' · ');
}

function formatClock(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(s % 60).padStart(2, '0')}s`;
}

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}
