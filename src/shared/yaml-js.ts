/**
 * A parsed YAML document to plain data, with the one failure the parser leaves for that step: an
 * alias whose anchor is not defined before it (`latency: *fast` above `&fast`). `toJS` throws a
 * bare ReferenceError for it; this returns it as a problem with the alias's line and column, so
 * every loader can report it as it reports syntax errors (file, line, exit 2).
 */
import { isAlias, visit, type Document } from 'yaml';

export type YamlJsResult = { ok: true; value: unknown } | { ok: false; message: string; line?: number; col?: number };

/** Aliases per document, as the loaders allow (a billion-laughs guard). */
const MAX_ALIAS_COUNT = 1000;

export function yamlToJs(doc: Document, text: string): YamlJsResult {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    let offset: number | undefined;
    let name: string | undefined;
    visit(doc, {
      Alias(_key, node) {
        if (!isAlias(node) || node.resolve(doc) !== undefined) return undefined;
        offset = node.range?.[0];
        name = node.source;
        return visit.BREAK;
      },
    });
    const message = name !== undefined ? `alias *${name} is used before its anchor &${name} is defined (an anchor must come first)` : err.message;
    if (offset === undefined) return { ok: false, message };
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { ok: false, message, line, col: offset - before.lastIndexOf('\n') };
  }
}
