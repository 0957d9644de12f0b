import { z } from 'zod';

export type OttlErrorMode = 'propagate' | 'ignore' | 'silent';

/**
 * The `error_mode` key of OTTL-based components (`filter`, `transform`, tail sampling's
 * `ottl_condition`), read as pkg/ottl's `ErrorMode.UnmarshalText` does: lower-cased first, so
 * `IGNORE` and `Ignore` mean `ignore`; any other word is a config error.
 */
export function errorModeSchema() {
  return z.string().transform((v, ctx): OttlErrorMode => {
    const mode = v.toLowerCase();
    if (mode === 'propagate' || mode === 'ignore' || mode === 'silent') return mode;
    ctx.addIssue({ code: 'custom', message: `unknown error mode ${mode}` });
    return z.NEVER;
  });
}
