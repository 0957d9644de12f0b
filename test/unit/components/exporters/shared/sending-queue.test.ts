import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { SendingQueue } from '../../../../../src/components/exporters/shared/sending-queue.js';

describe('sending queue', () => {
  test.prop([fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 40 })])(
    'accepts at most capacity waiting requests beyond the busy consumers, in FIFO order, and processes every accepted one once',
    async (capacity, consumers, offered) => {
      const release: (() => void)[] = [];
      const processed: number[] = [];
      const q = new SendingQueue<number>(capacity, consumers, (item) => {
        processed.push(item);
        return new Promise<void>((r) => release.push(r));
      });
      const accepted: number[] = [];
      for (let i = 0; i < offered; i++) if (q.offer(i)) accepted.push(i);
      expect(accepted.length).toBe(Math.min(offered, capacity + consumers));
      expect(q.size).toBe(Math.max(0, accepted.length - consumers));
      while (q.size > 0 || q.inFlight > 0) {
        release.shift()?.();
        await new Promise((r) => setImmediate(r));
      }
      await q.whenIdle();
      expect(processed).toEqual(accepted);
    },
  );

  test('takeAll empties the waiting requests, not the ones in flight', () => {
    const q = new SendingQueue<string>(3, 1, () => new Promise(() => {}));
    q.offer('a');
    q.offer('b');
    q.offer('c');
    expect(q.takeAll()).toEqual(['b', 'c']);
    expect(q.size).toBe(0);
    expect(q.inFlight).toBe(1);
  });
});
