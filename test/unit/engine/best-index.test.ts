/** `bestIndex`: which entry of a compare or sweep gets the ★. */
import { describe, expect, it } from 'vitest';
import { bestIndex } from '../../../src/engine/compare.js';
import type { Report } from '../../../src/report/model.js';
import { buildSampleReport } from '../../fixtures/reports/sample.js';

/** A passing, complete report with these disk bytes per day and dropped spans. */
function entry(diskBytesPerDay: number, dropped: number, extra: Partial<Report> = {}): Report {
  const base = buildSampleReport();
  return {
    ...base,
    interrupted: false,
    valid: true,
    ledger: { balanced: true, residual: 0 },
    gates: base.gates.map((g) => ({ ...g, pass: true })),
    storage: { ...base.storage, diskBytesPerDay },
    dropped: { ...base.dropped, total: dropped },
    ...extra,
  };
}

describe('bestIndex', () => {
  it('prefers the cheapest entry that drops nothing over a cheaper one that loses data', () => {
    expect(bestIndex([entry(300, 0), entry(100, 8_439), entry(200, 0)])).toBe(2);
  });

  it('when every entry drops something, takes the one that drops the fewest, then the cheapest', () => {
    // QA: queue_size 1 dropped 4,447 spans and stored least; queue_size 5 dropped 3,080
    expect(bestIndex([entry(100, 4_447), entry(300, 3_080)])).toBe(1);
    expect(bestIndex([entry(300, 5), entry(200, 5), entry(100, 8_439)])).toBe(1);
  });

  it('never picks an entry that fails a gate, is invalid, unbalanced or interrupted; null when none is left', () => {
    const failing = entry(50, 0);
    const bad = [
      { ...failing, gates: failing.gates.map((g, i) => ({ ...g, pass: i !== 0 })) },
      entry(60, 0, { valid: false }),
      entry(70, 0, { ledger: { balanced: false, residual: 3 } }),
      entry(80, 0, { interrupted: true }),
    ];
    expect(bestIndex([...bad, entry(900, 0)])).toBe(4);
    expect(bestIndex(bad)).toBeNull();
  });
});
