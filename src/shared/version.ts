/** tracesim's version, written into every report. Keep in step with package.json (a test checks). */
export const TOOL_VERSION = '0.1.0';
