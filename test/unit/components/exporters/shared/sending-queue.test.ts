import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { SendingQueue } from '../../../../../src/components/exporters/shared/sending-queue.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('sending queue', () => {
  test.prop([fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 40 })])(
    'holds at most capacity requests, waiting and in flight together, in FIFO order, and processes every accepted one once',
    async (capacity, consumers, offered) => {
      const release: (() => void)[] = [];
      const processed: number[] = [];
      const q = new SendingQueue<number>(capacity, consumers, (item) => {
        processed.push(item);
        return new Promise<void>((r) => release.push(r));
      });
      const accepted: number[] = [];
      for (let i = 0; i < offered; i++) if (q.offer(i) === 'queued') accepted.push(i);
      // upstream memory_queue: a request keeps its place until its consumer is done with it
      expect(accepted.length).toBe(Math.min(offered, capacity));
      expect(q.size).toBe(accepted.length);
      expect(q.waiting).toBe(Math.max(0, accepted.length - consumers));
      while (q.waiting > 0 || q.inFlight > 0) {
        release.shift()?.();
        await tick();
      }
      await q.whenIdle();
      expect(processed).toEqual(accepted);
      expect(q.size).toBe(0);
    },
  );

  test('a request in flight frees its place only when its consumer is done', async () => {
    const release: (() => void)[] = [];
    const q = new SendingQueue<string>(1, 1, () => new Promise<void>((r) => release.push(r)));
    expect(q.offer('a')).toBe('queued');
    expect(q.waiting).toBe(0);
    expect(q.inFlight).toBe(1);
    expect(q.offer('b')).toBe('full');
    release.shift()!();
    await tick();
    expect(q.size).toBe(0);
    expect(q.offer('b')).toBe('queued');
  });

  test('items sizer: capacity in items; too large is refused, empty is ignored', () => {
    const q = new SendingQueue<number>(10, 1, () => new Promise(() => {}), (n) => n);
    expect(q.offer(0)).toBe('empty');
    expect(q.size).toBe(0);
    expect(q.offer(11)).toBe('too_large');
    expect(q.offer(6)).toBe('queued');
    expect(q.offer(5)).toBe('full');
    expect(q.offer(4)).toBe('queued');
    expect(q.size).toBe(10);
  });

  test('the ring grows past its first slots and keeps FIFO order', async () => {
    const seen: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const q = new SendingQueue<number>(1000, 1, async (n) => {
      await gate;
      seen.push(n);
    });
    for (let i = 0; i < 100; i++) expect(q.offer(i)).toBe('queued');
    open();
    await q.whenIdle();
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  test('takeAll empties the waiting requests, not the ones in flight', () => {
    const q = new SendingQueue<string>(3, 1, () => new Promise(() => {}));
    q.offer('a');
    q.offer('b');
    q.offer('c');
    expect(q.takeAll()).toEqual(['b', 'c']);
    expect(q.waiting).toBe(0);
    expect(q.size).toBe(1);
    expect(q.inFlight).toBe(1);
  });
});
