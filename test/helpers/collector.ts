import { loadCollectorConfig } from '../../src/pipeline/config-loader.js';
import { InputError } from '../../src/shared/errors.js';
import { formatProblem } from '../../src/shared/schema.js';

/** The problems `loadCollectorConfig` reports for `text` (`path: message`), or [] when it loads. */
export function collectorProblems(text: string, env: Record<string, string> = {}): string[] {
  try {
    loadCollectorConfig(text, 'c.yaml', env);
  } catch (err) {
    if (err instanceof InputError) return err.problems.map(formatProblem);
    throw err;
  }
  return [];
}
