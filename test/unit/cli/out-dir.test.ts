import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultOutDir } from '../../../src/cli/commands/run-support.js';
import { memoryContext } from '../../../src/cli/context.js';

describe('default report directory', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('runs started in the same second get their own directories (-2, -3), each created', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tracesim-out-'));
    dirs.push(cwd);
    const { ctx } = memoryContext([], { cwd });
    const now = new Date(Date.UTC(2026, 11, 7, 22, 29, 2));
    const made = [1, 2, 3].map(() => defaultOutDir(ctx, 'ci smoke', now));
    expect(made.map((d) => basename(d))).toEqual(['ci-smoke-20261207-222902', 'ci-smoke-20261207-222902-2', 'ci-smoke-20261207-222902-3']);
    for (const d of made) expect(existsSync(d)).toBe(true);
    expect(made.every((d) => d.startsWith(join(cwd, 'reports')))).toBe(true);
  });
});
