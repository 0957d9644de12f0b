/**
 * Tokens of the OTTL subset tracesim understands (see README.md beside this file). Pure.
 */
export type Token =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; isInt: boolean; pos: number }
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'punct'; value: '(' | ')' | '[' | ']' | ',' | '.'; pos: number }
  | { kind: 'op'; value: '==' | '!=' | '<' | '<=' | '>' | '>='; pos: number }
  | { kind: 'end'; pos: number };

export type LexResult = { ok: true; tokens: Token[] } | { ok: false; message: string };

/** Splits `text` into tokens; string literals use double quotes with `\"` and `\\` escapes. */
export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return { ok: false, message: `unterminated string starting at offset ${i}` };
        const d = text[j]!;
        if (d === '\\' && j + 1 < text.length) {
          const e = text[j + 1]!;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
          continue;
        }
        if (d === '"') break;
        value += d;
        j++;
      }
      tokens.push({ kind: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    const num = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num && (c !== '-' || expectsOperand(tokens))) {
      const lexeme = num[0];
      tokens.push({ kind: 'number', value: Number(lexeme), isInt: /^-?\d+$/.test(lexeme), pos: i });
      i += lexeme.length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', value: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', value: two, pos: i });
      i += 2;
      continue;
    }
    if (c === '<' || c === '>') {
      tokens.push({ kind: 'op', value: c, pos: i });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',' || c === '.') {
      tokens.push({ kind: 'punct', value: c, pos: i });
      i++;
      continue;
    }
    return { ok: false, message: `unexpected character ${JSON.stringify(c)} at offset ${i}` };
  }
  tokens.push({ kind: 'end', pos: text.length });
  return { ok: true, tokens };
}

/** A `-` starts a negative number only where an operand is expected (not after a value). */
function expectsOperand(tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (!last) return true;
  return last.kind === 'op' || (last.kind === 'punct' && (last.value === '(' || last.value === ',' || last.value === '['));
}
