import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { VirtualClock } from '../../../src/pipeline/virtual-clock.js';

describe('VirtualClock', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 200 })])(
    'fires timers in (due time, creation order)',
    async (delays) => {
      const clock = new VirtualClock(0);
      const fired: number[] = [];
      delays.forEach((d, i) => clock.setTimer(d, () => void fired.push(i)));
      await clock.advanceTo(10_000);
      const expected = delays.map((d, i) => ({ d, i })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.i);
      expect(fired).toEqual(expected);
    },
  );

  it('runs intervals on the virtual clock and awaits async callbacks in order', async () => {
    const clock = new VirtualClock(1000);
    const log: string[] = [];
    clock.setInterval(1000, async () => {
      await Promise.resolve();
      log.push(`tick@${clock.nowMs()}`);
    });
    clock.setTimer(1500, () => void log.push(`once@${clock.nowMs()}`));
    await clock.advanceTo(4000);
    expect(log).toEqual(['tick@2000', 'once@2500', 'tick@3000', 'tick@4000']);
    expect(clock.nowMs()).toBe(4000);
  });

  it('skips cancelled timers and never moves back', async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const t = clock.setTimer(10, () => {
      fired = true;
    });
    t.cancel();
    expect(clock.nextDueMs()).toBeUndefined();
    await clock.advanceTo(100);
    await clock.advanceTo(50);
    expect(fired).toBe(false);
    expect(clock.nowMs()).toBe(100);
  });
});
