/** `nop` exporter: no settings (an empty body or `{}`). */
import { z } from 'zod';

export type NopExporterConfig = Record<string, never>;

export const nopExporterSchema = z.strictObject({});

export function defaultNopExporterConfig(): NopExporterConfig {
  return {};
}
