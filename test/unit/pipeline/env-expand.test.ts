import { describe, expect, it } from 'vitest';
import { expandEnv } from '../../../src/pipeline/env-expand.js';

describe('expandEnv', () => {
  const env = { HOST: 'tempo', PORT: '4317', EMPTY: '', FLAG: 'true' };

  it('substitutes ${env:VAR} and ${VAR} inside strings', () => {
    const r = expandEnv({ a: '${env:HOST}:${PORT}', b: ['x-${HOST}'] }, env);
    expect(r.value).toEqual({ a: 'tempo:4317', b: ['x-tempo'] });
    expect(r.warnings).toEqual([]);
  });

  it('types a whole-value expansion as a YAML scalar', () => {
    expect(expandEnv({ p: '${env:PORT}', f: '${FLAG}', s: 'port ${PORT}' }, env).value).toEqual({ p: 4317, f: true, s: 'port 4317' });
  });

  it('$$ escapes a dollar and a lone $ stays', () => {
    expect(expandEnv({ a: 'cost $$5 ${HOST}', b: '$HOST', c: 'a$' }, env).value).toEqual({ a: 'cost $5 tempo', b: '$HOST', c: 'a$' });
  });

  it('unset variables expand to empty with a warning naming the key path', () => {
    const r = expandEnv({ exporters: { otlp: { endpoint: '${env:NOPE}' } } }, env);
    expect(r.value).toEqual({ exporters: { otlp: { endpoint: '' } } });
    expect(r.warnings).toEqual(['exporters.otlp.endpoint: environment variable NOPE is not set; using an empty string']);
  });

  it('supports :- defaults for unset or empty variables', () => {
    expect(expandEnv({ a: '${env:NOPE:-fallback}', b: '${env:EMPTY:-x}', c: '${env:HOST:-x}' }, env).value).toEqual({ a: 'fallback', b: 'x', c: 'tempo' });
  });

  it('rejects other providers and bad names as problems', () => {
    const r = expandEnv({ a: '${file:/etc/x}', b: '${env:1BAD}' }, env);
    expect(r.problems).toEqual([
      { path: 'a', message: 'config provider "file" in ${file:/etc/x} is not supported (only env)' },
      { path: 'b', message: 'invalid environment variable name in ${env:1BAD}' },
    ]);
  });

  it('never expands keys', () => {
    expect(expandEnv({ '${HOST}': 1 }, env).value).toEqual({ '${HOST}': 1 });
  });
});
