/** Integer command-line options, shared by run, compare, sweep and generate (no heavy imports). */
import { InputError } from '../../shared/errors.js';

/** An integer option in [min, 2^53 − 1], exactly: a value a double would round is refused, not rounded. */
export function parseIntOption(name: string, text: string, min: number): number {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new InputError(`${name} "${text}": expected an integer`);
  const exact = BigInt(trimmed);
  if (exact < BigInt(min)) throw new InputError(`${name} "${text}": must be at least ${min}`);
  if (exact > BigInt(Number.MAX_SAFE_INTEGER)) throw new InputError(`${name} "${text}": must be at most ${Number.MAX_SAFE_INTEGER}`);
  return Number(exact);
}
