import { describe, expect, it } from 'vitest';
import { expandEnv, withStringForms } from '../../../src/pipeline/env-expand.js';

describe('expandEnv', () => {
  const env = { HOST: 'tempo', PORT: '4317', EMPTY: '', FLAG: 'true', CODES: '[ERROR, OK]', MAP: '{a: 1, b: [x]}', ZERO: '0123' };

  it('substitutes ${env:VAR} and ${VAR} inside strings', () => {
    const r = expandEnv({ a: '${env:HOST}:${PORT}', b: ['x-${HOST}'] }, env);
    expect(r.value).toEqual({ a: 'tempo:4317', b: ['x-tempo'] });
    expect(r.warnings).toEqual([]);
  });

  it('types a whole-value expansion as a YAML scalar', () => {
    expect(expandEnv({ p: '${env:PORT}', f: '${FLAG}', s: 'port ${PORT}' }, env).value).toEqual({ p: 4317, f: true, s: 'port 4317' });
  });

  it('reads a whole-value expansion as YAML: lists and maps too, defaults included', () => {
    const r = expandEnv({ codes: '${env:CODES}', map: '${MAP}', dflt: '${env:NOPE:-[ERROR]}' }, env);
    expect(r.value).toEqual({ codes: ['ERROR', 'OK'], map: { a: 1, b: ['x'] }, dflt: ['ERROR'] });
    expect(r.problems).toEqual([]);
  });

  it('takes a value that reads as a YAML string, or is not YAML, as its text', () => {
    const r = expandEnv({ q: '${env:Q}', tag: '${env:TAG}', lines: '${env:LINES}', bad: '${env:BAD}' }, { Q: '"0123"', TAG: '!!str 0123', LINES: 'foo\nbar', BAD: '[invalid,' });
    expect(r.value).toEqual({ q: '"0123"', tag: '!!str 0123', lines: 'foo\nbar', bad: '[invalid,' });
    expect(r.stringForms.size).toBe(0);
  });

  it('keeps the text of a typed whole value as its string form, by key path', () => {
    const r = expandEnv({ p: { q: ['${env:ZERO}', '${CODES}', '${HOST}'] } }, env);
    // go-yaml v3 reads 0123 as octal (strconv.ParseInt base 0): 83; string fields get the text back
    expect(r.value).toEqual({ p: { q: [83, ['ERROR', 'OK'], 'tempo'] } });
    expect([...r.stringForms]).toEqual([
      ['p.q[0]', '0123'],
      ['p.q[1]', '[ERROR, OK]'],
    ]);
  });

  it('inserts the text of any value into a longer string', () => {
    expect(expandEnv({ a: 'codes=${env:CODES}', b: 'n${ZERO}', c: '${MAP}!' }, env).value).toEqual({ a: 'codes=[ERROR, OK]', b: 'n0123', c: '{a: 1, b: [x]}!' });
  });

  it('expands substituted values again, inside lists and maps and in their text', () => {
    const r = expandEnv({ a: '${env:A}', b: 'x ${env:B}', c: '${env:C}' }, { A: '${env:N}', N: '5000', B: 'y ${env:HOST}', C: "['${env:HOST}', z]", HOST: 'h' });
    expect(r.value).toEqual({ a: 5000, b: 'x y h', c: ['h', 'z'] });
    expect(r.stringForms).toEqual(new Map([['a', '5000'], ['c', "['h', z]"]]));
  });

  it('stops a variable that refers to itself', () => {
    const r = expandEnv({ a: '${env:LOOP}' }, { LOOP: 'x${env:LOOP}' });
    expect(r.problems).toEqual([{ path: 'a', message: 'too many recursive expansions of ${env:LOOP} (does a variable refer to itself?)' }]);
  });

  it('$$ escapes a dollar and a lone $ stays', () => {
    expect(expandEnv({ a: 'cost $$5 ${HOST}', b: '$HOST', c: 'a$' }, env).value).toEqual({ a: 'cost $5 tempo', b: '$HOST', c: 'a$' });
  });

  it('escapes as the collector does (confmap/internal/e2e expand-escaped-env.yaml)', () => {
    const V = 'some expanded value';
    const cases: Record<string, [string, string]> = {
      key1: ['$$ENV_VALUE', '$ENV_VALUE'],
      key2: ['$$$$ENV_VALUE', '$$ENV_VALUE'],
      key3: ['$$${ENV_VALUE}', `$${V}`],
      key4: ['some${ENV_VALUE}text', `some${V}text`],
      key5: ['some$${ENV_VALUE}text', 'some${ENV_VALUE}text'],
      key6: ['$${ONE}$${TWO}', '${ONE}${TWO}'],
      key7: ['text$$', 'text$'],
      key8: ['$$', '$'],
      key9: ['$${1}$${env:2}', '${1}${env:2}'],
      key10: ['some$${env:ENV_VALUE}text', 'some${env:ENV_VALUE}text'],
      key11: ['$${env:${ENV_VALUE}}', `\${env:${V}}`],
      key12: ['$${env:$${ENV_VALUE}}', '${env:${ENV_VALUE}}'],
      key13: ['env:MAP_VALUE_2}$${ENV_VALUE}{', 'env:MAP_VALUE_2}${ENV_VALUE}{'],
      key14: ['$$${env:ENV_VALUE}', `$${V}`],
      key15: ['$ENV_VALUE', '$ENV_VALUE'],
      key18: ['${env:ENV_NESTED_DOLLARSIGN}', 'here is 1 $'],
      key19: ['${env:ENV_NESTED_DOLLARSIGN_ESCAPED}', 'here are 2 $$'],
      key20: ['${env:ENV_EXPAND_NESTED}', `${V} came from nested expansion`],
    };
    const r = expandEnv(Object.fromEntries(Object.entries(cases).map(([k, [input]]) => [k, input])), {
      ENV_VALUE: V,
      ENV_NESTED_DOLLARSIGN: 'here is 1 $$',
      ENV_NESTED_DOLLARSIGN_ESCAPED: 'here are 2 $$$',
      ENV_EXPAND_NESTED: '${env:ENV_VALUE} came from nested expansion',
    });
    expect(r.problems).toEqual([]);
    expect(r.value).toEqual(Object.fromEntries(Object.entries(cases).map(([k, [, output]]) => [k, output])));
  });

  it('an escaped reference ends the search in its string, as upstream findURI', () => {
    expect(expandEnv({ a: '$${X}-${env:HOST}', b: '${env:HOST}-$${X}-${HOST}' }, env).value).toEqual({ a: '${X}-${env:HOST}', b: 'tempo-${X}-${HOST}' });
  });

  it('unescapes inside substituted lists and maps without expanding', () => {
    const r = expandEnv({ list: '${env:L}', map: '${env:M}' }, { L: "['$$ESCAPE_ME','$${ESCAPE_ME}','$${env:ESCAPE_ME}']", M: "{'k':'$${env:ESCAPE_ME}'}" });
    expect(r.value).toEqual({ list: ['$ESCAPE_ME', '${ESCAPE_ME}', '${env:ESCAPE_ME}'], map: { k: '${env:ESCAPE_ME}' } });
    expect(r.variables).toEqual(['L', 'M']);
  });

  it('a bad reference in a YAML comment of a typed value does not count, inline it does (collector issue 10787)', () => {
    const V = 'true # comment with a ${env:hello.world} reference';
    const whole = expandEnv({ a: '${env:V}' }, { V });
    expect(whole.value).toEqual({ a: true });
    expect(whole.problems).toEqual([]);
    expect(whole.stringForms.size).toBe(0);
    expect(expandEnv({ a: 'x ${env:V}' }, { V }).problems).toEqual([{ path: 'a', message: 'invalid environment variable name in ${env:hello.world}' }]);
  });

  it('unset variables expand to empty with a warning naming the key path', () => {
    const r = expandEnv({ exporters: { otlp: { endpoint: '${env:NOPE}' } } }, env);
    expect(r.value).toEqual({ exporters: { otlp: { endpoint: '' } } });
    expect(r.warnings).toEqual(['exporters.otlp.endpoint: environment variable NOPE is not set; using an empty string']);
  });

  it('supports :- defaults for unset or empty variables', () => {
    expect(expandEnv({ a: '${env:NOPE:-fallback}', b: '${env:EMPTY:-x}', c: '${env:HOST:-x}', d: '${env:NOPE:-}' }, env).value).toEqual({ a: 'fallback', b: 'x', c: 'tempo', d: '' });
  });

  it('rejects other providers, bad names and $ inside a reference as problems', () => {
    const r = expandEnv({ a: '${file:/etc/x}', b: '${env:1BAD}', c: '${HOST:-x}', d: '${env:HOST:-a$b}' }, env);
    expect(r.problems).toEqual([
      { path: 'a', message: 'config provider "file" in ${file:/etc/x} is not supported (only env)' },
      { path: 'b', message: 'invalid environment variable name in ${env:1BAD}' },
      { path: 'c', message: 'config provider "HOST" in ${HOST:-x} is not supported (only env); a default needs the env: prefix, as in ${env:HOST:-x}' },
      { path: 'd', message: '"$" is not allowed inside ${env:HOST:-a$b}' },
    ]);
    expect(r.value).toEqual({ a: '', b: '', c: '', d: '' });
  });

  it('lists the variables read, set or not, by name only', () => {
    const r = expandEnv({ a: '${env:ZERO} ${PORT}', b: ['${env:NOPE:-1}', '${NOPE}', '${env:1BAD}'] }, env);
    expect(r.variables).toEqual(['NOPE', 'PORT', 'ZERO']);
  });

  it('never expands keys', () => {
    expect(expandEnv({ '${HOST}': 1 }, env).value).toEqual({ '${HOST}': 1 });
  });
});

describe('withStringForms', () => {
  const forms = new Map([
    ['exporters.otlp.headers.key', '0123'],
    ['exporters.otlp.compression', 'true'],
  ]);
  const raw = { headers: { key: 123 }, compression: true, timeout: 5 };

  it('puts the text back where a string was expected of a typed whole value', () => {
    const problems = [
      { path: 'exporters.otlp.headers.key', message: 'expected a string' },
      { path: 'exporters.otlp.timeout', message: 'expected a string' },
    ];
    expect(withStringForms(raw, 'exporters.otlp', problems, forms)).toEqual({ headers: { key: '0123' }, compression: true, timeout: 5 });
  });

  it('is undefined when no problem is a typed value where a string was expected', () => {
    expect(withStringForms(raw, 'exporters.otlp', [{ path: 'exporters.otlp.compression', message: 'expected one of "gzip", "none"' }], forms)).toBeUndefined();
  });
});
