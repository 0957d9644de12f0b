/**
 * Escaping for everything the HTML report inserts into markup. Every string that comes from a
 * report (scenario names, component ids, advisory messages, YAML sources, labels) passes through
 * one of these before it reaches the page.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and for quoted attribute values (`"` and `'` both). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * JSON for a `<script type="application/json">` block. The HTML parser ends a script element at
 * the first `</script` and treats `<!--` specially inside it, so every `<` is written as the JSON
 * escape `\u003c` (and `>` / `&` likewise, for symmetry); U+2028/U+2029 are escaped so the text is
 * also valid JavaScript. `JSON.parse` of the block's text gives back exactly `value`.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
