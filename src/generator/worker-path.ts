/**
 * Where the generator worker entry is: always built JavaScript, because worker threads cannot
 * load TypeScript. From built output (dist/ or dist-bench/) it is the sibling
 * `worker/entry.js`; from sources run by vitest (this file is .ts) it is the repository's
 * `dist/generator/worker/entry.js` (tests build first).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function generatorWorkerPath(): string {
  const here = import.meta.url;
  const path = here.endsWith('.ts')
    ? fileURLToPath(new URL('../../dist/generator/worker/entry.js', here))
    : fileURLToPath(new URL('./worker/entry.js', here));
  if (!existsSync(path)) throw new Error(`generator worker not built: ${path} is missing (run npm run build)`);
  return path;
}
