/**
 * Dotted report paths (`retention.byClass.error`, `storage.diskBytesPerDay`), as gates use them:
 * reading the number at a path, and the unit a path is measured in.
 */
import type { Report } from '../model.js';
import type { ValueUnit } from './format.js';

/** The number at a dotted path of the report, or null when absent or not a number. */
export function numberAt(report: Report, path: string): number | null {
  let cur: unknown = report;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}

/** The unit a report path is measured in, from the naming conventions of model.ts. */
export function unitOfPath(path: string): ValueUnit {
  if (path.startsWith('retention.')) return 'fraction';
  if (/Ms(\.|$)/.test(path)) return 'ms';
  if (/bytes/i.test(path)) return 'bytes';
  if (/PerSecond$/.test(path)) return 'perSecond';
  return 'count';
}
