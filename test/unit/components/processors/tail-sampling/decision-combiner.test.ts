import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { DecisionCombiner } from '../../../../../src/components/processors/tail-sampling/decision-combiner.js';
import { Decision } from '../../../../../src/components/processors/tail-sampling/policies/decision.js';

const { Sampled: S, NotSampled: N, Dropped: D, Error: E, InvertSampled: IS, InvertNotSampled: INS } = Decision;

function combine(votes: Decision[], firstMatch = false): { final: Decision; sampler: number; evaluated: number } {
  const c = new DecisionCombiner(firstMatch);
  c.reset();
  let evaluated = 0;
  for (const v of votes) {
    evaluated++;
    if (!c.add(v)) break;
  }
  return { final: c.final(), sampler: c.sampler(), evaluated };
}

describe('decision combination (§3.4)', () => {
  it('applies the precedence table', () => {
    const cases: [Decision[], Decision, number][] = [
      [[], N, -1],
      [[E, E], N, -1],
      [[N, S], S, 1],
      [[S, D], D, -1],
      [[S, INS], N, -1],
      [[IS, N], N, -1],
      [[IS, IS], S, 0],
      [[IS, S], S, 1],
      [[E, S], S, 1],
      [[INS, IS], N, -1],
    ];
    for (const [votes, final, sampler] of cases) {
      const got = combine(votes);
      expect(got.final, JSON.stringify(votes)).toBe(final);
      expect(got.sampler, JSON.stringify(votes)).toBe(sampler);
    }
  });
  it('stops after Dropped, and after a plain Sampled with sample_on_first_match', () => {
    expect(combine([N, D, S]).evaluated).toBe(2);
    expect(combine([IS, S, D], true)).toEqual({ final: S, sampler: 1, evaluated: 2 });
    expect(combine([IS, S, D], false).final).toBe(D);
  });
  test.prop([fc.array(fc.constantFrom(S, N, E, IS, INS))])('without Dropped, errors never change the result', (votes) => {
    expect(combine(votes).final).toBe(combine(votes.filter((v) => v !== E)).final);
  });
  test.prop([fc.array(fc.constantFrom(S, N, E, D))])('current decisions reduce to Dropped > Sampled > NotSampled', (votes) => {
    const upToDrop = votes.slice(0, votes.indexOf(D) + 1 || votes.length);
    const want = upToDrop.includes(D) ? D : upToDrop.includes(S) ? S : N;
    expect(combine(votes).final).toBe(want);
  });
});
