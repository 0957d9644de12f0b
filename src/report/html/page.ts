/**
 * The document shell shared by run and comparison pages: doctype, inline stylesheet, body, and
 * the report itself as JSON in `<script type="application/json" id="tracesim-data">` (so the page
 * carries its data; no script runs). Nothing is loaded from anywhere: no external URL appears.
 */
import { escapeHtml, jsonForScript } from './escape.js';
import { STYLES } from './styles.js';

/** Id of the JSON data block; `JSON.parse(document.getElementById(DATA_ELEMENT_ID).textContent)` gives the report. */
export const DATA_ELEMENT_ID = 'tracesim-data';

export function renderPage(title: string, body: string, data: unknown): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light dark">` +
    `<meta name="generator" content="tracesim">` +
    `<title>${escapeHtml(title)}</title><style>${STYLES}</style></head>\n` +
    `<body><main>${body}</main>\n` +
    `<script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForScript(data)}</script>\n` +
    `</body></html>\n`
  );
}
