/**
 * GeneratorPool's handling of piscina's 'error' event: piscina emits it when a worker answers a
 * task the pool no longer tracks (a task cut short by close(), as in an interrupted run), and an
 * EventEmitter 'error' without a listener would be an uncaught exception in the middle of a run.
 */
import type { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { GeneratorPool } from '../../../src/generator/pool.js';

const piscinaOf = (pool: GeneratorPool): EventEmitter => (pool as unknown as { _piscina: EventEmitter })._piscina;

describe('GeneratorPool', () => {
  it('ignores a late worker message after close()', async () => {
    const pool = new GeneratorPool({ workers: 1 });
    await pool.close();
    expect(() => piscinaOf(pool).emit('error', new Error('Unexpected message from Worker'))).not.toThrow();
  });

  it('reports a pool error raised while open on the next run()', async () => {
    const pool = new GeneratorPool({ workers: 1 });
    try {
      piscinaOf(pool).emit('error', new Error('worker fault'));
      await expect(pool.run({} as never)).rejects.toThrow('worker fault');
    } finally {
      await pool.close();
    }
  });
});
